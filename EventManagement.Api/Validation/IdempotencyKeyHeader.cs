using System.Text;

namespace EventManagement.Api.Validation;

/// <summary>
/// Reads an <c>Idempotency-Key</c> header in either form: the draft's Structured Field string
/// (<c>Idempotency-Key: "order-42"</c>, with <c>\"</c> and <c>\\</c> escapes) or a bare token
/// (<c>Idempotency-Key: order-42</c>). Both give the key <c>order-42</c>.
/// </summary>
public static class IdempotencyKeyHeader
{
    /// <summary>The key, or false when the value is neither a valid quoted string nor a valid token (1 to 200 characters).</summary>
    public static bool TryParse(string? value, out string key)
    {
        key = string.Empty;
        if (value is null)
        {
            return false;
        }

        var parsed = value.StartsWith('"') ? Unquote(value) : Token(value);
        if (parsed is not { Length: > 0 and <= InputRules.IdempotencyKeyMaxLength })
        {
            return false;
        }

        key = parsed;
        return true;
    }

    /// <summary>The key of a header value that passed validation.</summary>
    public static string Parse(string value) =>
        TryParse(value, out var key) ? key : throw new FormatException("Not a valid Idempotency-Key.");

    private static string? Token(string value) => value.All(static c => c is >= '!' and <= '~') ? value : null;

    // RFC 8941 sf-string: visible ASCII and space between quotes; only " and \ may be escaped.
    private static string? Unquote(string value)
    {
        if (value.Length < 2 || value[^1] != '"')
        {
            return null;
        }

        var key = new StringBuilder(value.Length);
        for (var i = 1; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (++i == value.Length - 1 || value[i] is not ('"' or '\\'))
                {
                    return null;
                }

                key.Append(value[i]);
            }
            else if (c is '"' or < ' ' or > '~')
            {
                return null;
            }
            else
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }
}
