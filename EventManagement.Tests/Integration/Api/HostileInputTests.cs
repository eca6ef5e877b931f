using System.Net;
using System.Text;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// A catalogue of malformed and hostile requests. Every one gets a 4xx problem answer (never a 5xx), and none of
/// them reaches the external API.
/// </summary>
public sealed class HostileInputTests : ApiTestBase
{
    private const string Json = "application/json";

    /// <summary>The <c>message</c> of each status, as the README's error table lists them.</summary>
    private static readonly Dictionary<HttpStatusCode, string> Messages = new()
    {
        [HttpStatusCode.BadRequest] = "invalid request",
        [HttpStatusCode.NotFound] = "not found",
        [HttpStatusCode.MethodNotAllowed] = "method not allowed",
        [HttpStatusCode.RequestEntityTooLarge] = "request body too large",
        [HttpStatusCode.UnsupportedMediaType] = "unsupported media type",
    };

    [SetUp]
    public void ForgetCalls() => Factory.ExternalApi.Invocations.Clear();

    public static IEnumerable<TestCaseData> Catalogue()
    {
        static TestCaseData AddEvent(string name, string? body, HttpStatusCode expected, string? contentType = Json, (string, string)? header = null) =>
            new TestCaseData(new HostileRequest(HttpMethod.Post, "/addEvent", body, contentType, header), expected).SetName("AddEvent_" + name);
        static TestCaseData AddEventBytes(string name, byte[] body, string contentType, HttpStatusCode expected) =>
            new TestCaseData(new HostileRequest(HttpMethod.Post, "/addEvent", null, contentType, null, body), expected).SetName("AddEvent_" + name);
        static TestCaseData Get(string name, string path, HttpStatusCode expected) =>
            new TestCaseData(new HostileRequest(HttpMethod.Get, path, null, null, null), expected).SetName("Get_" + name);
        static TestCaseData Call(string name, HttpMethod method, string path, HttpStatusCode expected) =>
            new TestCaseData(new HostileRequest(method, path, null, null, null), expected).SetName("Call_" + name);

        var bad = HttpStatusCode.BadRequest;
        // Broken JSON.
        yield return AddEvent("TruncatedJson", "{", bad);
        yield return AddEvent("NotJsonAtAll", "not json", bad);
        yield return AddEvent("EmptyBody", "", bad);
        yield return AddEvent("JsonNull", "null", bad);
        yield return AddEvent("JsonArray", "[]", bad);
        yield return AddEvent("JsonString", "\"name\"", bad);
        yield return AddEvent("DuplicatedKeys", """{"name":"A","userId":"1","name":"B"}""", bad);
        yield return AddEvent("TrailingGarbage", """{"name":"A","userId":"1"} trailing""", bad);
        yield return AddEvent("NestedTooDeep", new string('[', 1000) + new string(']', 1000), bad);
        yield return AddEvent("NestedJunk", """{"name":{"a":{"b":[1,2,{"c":null}]}},"userId":"1"}""", bad);
        // Wrong types.
        yield return AddEvent("UserIdBoolean", """{"name":"A","userId":true}""", bad);
        yield return AddEvent("UserIdFraction", """{"name":"A","userId":1.5}""", bad);
        yield return AddEvent("UserIdHugeNumber", """{"name":"A","userId":99999999999999999999999}""", bad);
        yield return AddEvent("UserIdNull", """{"name":"A","userId":null}""", bad);
        yield return AddEvent("UserIdObject", """{"name":"A","userId":{}}""", bad);
        yield return AddEvent("UserIdArray", """{"name":"A","userId":["1"]}""", bad);
        yield return AddEvent("NameNumber", """{"name":123,"userId":"1"}""", bad);
        yield return AddEvent("DetailsNumber", """{"name":"A","userId":"1","details":7}""", bad);
        // Missing and empty fields.
        yield return AddEvent("MissingName", """{"userId":"1"}""", bad);
        yield return AddEvent("MissingUserId", """{"name":"A"}""", bad);
        yield return AddEvent("EmptyObject", "{}", bad);
        yield return AddEvent("EmptyName", """{"name":"","userId":"1"}""", bad);
        yield return AddEvent("WhitespaceName", """{"name":"   \t ","userId":"1"}""", bad);
        yield return AddEvent("EmptyUserId", """{"name":"A","userId":""}""", bad);
        // Over-long strings.
        yield return AddEvent("NameOver200", $$"""{"name":"{{new string('n', 201)}}","userId":"1"}""", bad);
        yield return AddEvent("DetailsOver2000", $$"""{"name":"A","userId":"1","details":"{{new string('d', 2001)}}"}""", bad);
        yield return AddEvent("UserIdOver64", $$"""{"name":"A","userId":"{{new string('u', 65)}}"}""", bad);
        // Unicode and control characters.
        yield return AddEvent("NameWithControlCharacter", """{"name":"A\u0001B","userId":"1"}""", bad);
        yield return AddEvent("NameWithNewline", """{"name":"A\nB","userId":"1"}""", bad);
        yield return AddEvent("NameWithNul", """{"name":"A\u0000","userId":"1"}""", bad);
        yield return AddEvent("DetailsWithBell", """{"name":"A","userId":"1","details":"ding\u0007"}""", bad);
        yield return AddEvent("DetailsWithCarriageReturn", """{"name":"A","userId":"1","details":"line\r\nline"}""", bad);
        yield return AddEvent("UserIdNonAscii", """{"name":"A","userId":"ünï"}""", bad);
        yield return AddEvent("UserIdPathTraversal", """{"name":"A","userId":"../etc/passwd"}""", bad);
        yield return AddEvent("UserIdInjection", """{"name":"A","userId":"1' OR '1'='1"}""", bad);
        yield return AddEvent("UserIdWithSpace", """{"name":"A","userId":"1 2"}""", bad);
        // Headers.
        yield return AddEvent("IdempotencyKeyTooLong", """{"name":"A","userId":"1"}""", bad, header: ("Idempotency-Key", new string('k', 201)));
        yield return AddEvent("IdempotencyKeyWithSpace", """{"name":"A","userId":"1"}""", bad, header: ("Idempotency-Key", "two words"));
        // Wrong content type, and sizes.
        yield return AddEvent("TextPlain", """{"name":"A","userId":"1"}""", HttpStatusCode.UnsupportedMediaType, "text/plain");
        yield return AddEvent("NoContentType", """{"name":"A","userId":"1"}""", HttpStatusCode.UnsupportedMediaType, null);
        yield return AddEvent("Xml", "<event><name>A</name></event>", HttpStatusCode.UnsupportedMediaType, "application/xml");
        yield return AddEvent("FormUrlEncoded", "name=A&userId=1", HttpStatusCode.UnsupportedMediaType, "application/x-www-form-urlencoded");
        // Bytes that are not valid in the charset the Content-Type declares (or that the formatter does not read).
        foreach (var testCase in HostileCharsets.Catalogue(AddEventBytes))
        {
            yield return testCase;
        }

        yield return AddEvent("JustOver64KiB", $$"""{"name":"A","userId":"1","details":"{{new string('x', 64 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge);
        yield return AddEvent("OneMegabyte", $$"""{"name":"A","userId":"1","details":"{{new string('x', 1024 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge);
        // Path ids.
        yield return Get("IdWithSpace", "/getEventsByUserId/a%20b", bad);
        yield return Get("IdWithDot", "/getEventsByUserId/a.b", bad);
        yield return Get("IdWithEncodedSlash", "/getEventsByUserId/a%2Fb", bad);
        yield return Get("IdWithQuote", "/getEventsByUserId/1'%20OR%201=1", bad);
        yield return Get("IdNonAscii", "/getEventsByUserId/%C3%A9", bad);
        yield return Get("IdOver64", "/getEventsByUserId/" + new string('a', 65), bad);
        // Unknown routes and methods.
        yield return Get("UnknownRoute", "/admin", HttpStatusCode.NotFound);
        yield return Get("UnknownNestedRoute", "/getEventsByUserId/1/extra", HttpStatusCode.NotFound);
        yield return Call("DeleteAddEvent", HttpMethod.Delete, "/addEvent", HttpStatusCode.MethodNotAllowed);
        yield return Call("GetAddEvent", HttpMethod.Get, "/addEvent", HttpStatusCode.MethodNotAllowed);
        yield return Call("PutGetUsers", HttpMethod.Put, "/getUsers", HttpStatusCode.MethodNotAllowed);
        yield return Call("PatchGetEvents", HttpMethod.Patch, "/getEvents", HttpStatusCode.MethodNotAllowed);
    }

    [TestCaseSource(nameof(Catalogue))]
    public async Task HostileRequest_GetsA4xxProblemAndNeverReachesTheExternalApi(HostileRequest hostile, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        using var request = new HttpRequestMessage(hostile.Method, hostile.Path);
        if ((hostile.Bytes ?? (hostile.Body is null ? null : Encoding.UTF8.GetBytes(hostile.Body))) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (hostile.ContentType is not null)
            {
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(hostile.ContentType);
            }
        }

        if (hostile.Header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, expected, Messages[expected]);
        Assert.That(Factory.ExternalApi.Invocations, Is.Empty, "nothing may reach the external API");
    }

    /// <summary>One request of the catalogue.</summary>
    public sealed record HostileRequest(
        HttpMethod Method, string Path, string? Body, string? ContentType, (string Name, string Value)? Header, byte[]? Bytes = null)
    {
        public override string ToString() => $"{Method} {Path}";
    }
}
