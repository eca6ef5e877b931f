using System.Net;
using System.Text;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// The part of <see cref="HostileInputTests"/>' catalogue about charsets: every way a body's bytes can be wrong for
/// the charsets the JSON formatter reads (UTF-8, the default, and UTF-16 under any of its names), and charsets it
/// does not read at all (415). Each is a valid event but for the bytes named.
/// </summary>
internal static class HostileCharsets
{
    private const string Utf16Json = "application/json; charset=utf-16";
    private const string Valid = "{\"name\":\"A\",\"userId\":\"1\"}";

    /// <param name="addEvent">Makes a POST /addEvent case from a name, the body, its Content-Type and the expected status.</param>
    public static IEnumerable<TestCaseData> Catalogue(Func<string, byte[], string, HttpStatusCode, TestCaseData> addEvent)
    {
        ArgumentNullException.ThrowIfNull(addEvent);
        var bad = HttpStatusCode.BadRequest;

        // UTF-8 bytes declared as UTF-16: an odd count (the 500 once reported) and an even one (garbage characters).
        yield return addEvent("Utf8BytesDeclaredUtf16OddLength", Utf8(Valid), Utf16Json, bad);
        yield return addEvent("Utf8BytesDeclaredUtf16EvenLength", Utf8(Valid + " "), Utf16Json, bad);
        yield return addEvent("Utf16TrailingOddByte", [.. Utf16(Valid), 0x20], Utf16Json, bad);
        yield return addEvent("Utf16LoneHighSurrogate", InName(Utf16, 0x00, 0xD8), Utf16Json, bad);
        yield return addEvent("Utf16LoneLowSurrogate", InName(Utf16, 0x00, 0xDC), Utf16Json, bad);
        yield return addEvent("Utf16SwappedSurrogates", InName(Utf16, 0x00, 0xDC, 0x00, 0xD8), Utf16Json, bad);
        yield return addEvent("Utf16HighSurrogateAtTheEnd", [.. Utf16(Valid), 0x00, 0xD8], Utf16Json, bad);
        yield return addEvent("Utf16LoneSurrogateInUnknownField", InUnknownField(Utf16, 0x00, 0xD8), Utf16Json, bad);
        yield return addEvent("Utf16BomThenLoneSurrogate", [0xFF, 0xFE, .. InName(Utf16, 0x00, 0xD8)], Utf16Json, bad);
        yield return addEvent("Utf16LeLoneSurrogate", InName(Utf16, 0x00, 0xD8), "application/json; charset=utf-16le", bad);
        yield return addEvent("UnicodeLoneSurrogate", InName(Utf16, 0x00, 0xD8), "application/json; charset=unicode", bad);

        foreach (var (label, contentType) in new[] { ("Utf8", "application/json; charset=utf-8"), ("Undeclared", "application/json") })
        {
            yield return addEvent(label + "InvalidByte", InName(Utf8, 0xFF), contentType, bad);
            yield return addEvent(label + "LoneContinuationByte", InName(Utf8, 0x80), contentType, bad);
            yield return addEvent(label + "TruncatedSequence", InName(Utf8, 0xE2, 0x82), contentType, bad);
            yield return addEvent(label + "OverlongEncoding", InName(Utf8, 0xC0, 0xAF), contentType, bad);
            yield return addEvent(label + "EncodedSurrogate", InName(Utf8, 0xED, 0xA0, 0x80), contentType, bad);
            yield return addEvent(label + "AboveU10FFFF", InName(Utf8, 0xF4, 0x90, 0x80, 0x80), contentType, bad);
            yield return addEvent(label + "InvalidByteAtTheEnd", [.. Utf8(Valid), 0xFF], contentType, bad);
            yield return addEvent(label + "InvalidByteInUnknownField", InUnknownField(Utf8, 0xFF), contentType, bad);
            yield return addEvent(label + "InvalidByteInFieldName", [.. Utf8("{\"name\":\"A\",\"userId\":\"1\",\""), 0xFF, .. Utf8("\":1}")], contentType, bad);
        }

        foreach (var charset in new[] { "utf-16be", "utf-32", "iso-8859-1", "us-ascii", "no-such-charset" })
        {
            yield return addEvent("Charset_" + charset, Utf8(Valid), "application/json; charset=" + charset, HttpStatusCode.UnsupportedMediaType);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Utf16(string text) => Encoding.Unicode.GetBytes(text);

    /// <summary>A valid event whose name ends in <paramref name="raw"/> (bytes a C# string cannot hold).</summary>
    private static byte[] InName(Func<string, byte[]> encode, params byte[] raw) =>
        [.. encode("{\"name\":\"A"), .. raw, .. encode("\",\"userId\":\"1\"}")];

    /// <summary>A valid event plus a field the Api ignores, whose value holds <paramref name="raw"/>.</summary>
    private static byte[] InUnknownField(Func<string, byte[]> encode, params byte[] raw) =>
        [.. encode("{\"name\":\"A\",\"userId\":\"1\",\"x\":\""), .. raw, .. encode("\"}")];
}
