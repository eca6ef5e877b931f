using System.Text;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;

namespace EventManagement.Api.Validation;

/// <summary>
/// Wraps the JSON input formatter so that a body whose bytes are not valid in the charset its Content-Type declares
/// (UTF-8 when it declares none) is a 400 problem, wherever the bad bytes are.
/// </summary>
/// <remarks>
/// On its own the formatter answers 500 to bad UTF-16 (its transcoder throws a DecoderFallbackException that nothing
/// maps), and lets bad UTF-8 through where the serializer only skips (a field the Api ignores). The body is capped
/// at <see cref="InputRules.MaxBodyBytes"/>, so it is checked whole, in memory, before the formatter reads it. A
/// charset the formatter does not read is left to it (415).
/// </remarks>
public sealed class CharsetCheckingInputFormatter(TextInputFormatter inner) : IInputFormatter, IApiRequestFormatMetadataProvider
{
    public bool CanRead(InputFormatterContext context) => inner.CanRead(context);

    public async Task<InputFormatterResult> ReadAsync(InputFormatterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        if (DeclaredEncoding(request.ContentType) is { } encoding)
        {
            request.EnableBuffering(bufferThreshold: InputRules.MaxBodyBytes);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.HttpContext.RequestAborted);
            request.Body.Position = 0;
            if (!IsValid(encoding, body.GetBuffer().AsSpan(0, (int)body.Length)))
            {
                context.ModelState.TryAddModelError(context.ModelName, $"The request body is not valid {encoding.WebName}.");
                return await InputFormatterResult.FailureAsync();
            }
        }

        return await inner.ReadAsync(context);
    }

    public IReadOnlyList<string>? GetSupportedContentTypes(string? contentType, Type objectType) =>
        inner.GetSupportedContentTypes(contentType, objectType);

    /// <summary>The formatter's encoding for the declared charset (as the formatter matches it), or null when it reads none.</summary>
    private Encoding? DeclaredEncoding(string? contentType)
    {
        var mediaType = string.IsNullOrEmpty(contentType) ? default : new MediaType(contentType);
        if (!mediaType.Charset.HasValue)
        {
            return inner.SupportedEncodings[0];
        }

        var declared = mediaType.Encoding?.WebName;
        return inner.SupportedEncodings.FirstOrDefault(supported => string.Equals(supported.WebName, declared, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsValid(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        if (encoding is UTF8Encoding)
        {
            return System.Text.Unicode.Utf8.IsValid(bytes);
        }

        try
        {
            // The formatter's encodings throw on invalid bytes (that is what made the 500).
            _ = encoding.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
