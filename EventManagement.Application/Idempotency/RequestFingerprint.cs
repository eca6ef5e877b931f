using System.Security.Cryptography;
using System.Text;
using EventManagement.Application.Events;

namespace EventManagement.Application.Idempotency;

/// <summary>
/// A fingerprint of the request as parsed (not of its bytes): <c>"3"</c> and <c>3</c>, a reordered body or other
/// spacing are one request; another name, user or details is another.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(AddEventCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Length-prefixed, and absent details apart from empty ones, so that no two requests share a canonical form.
        var canonical = string.Concat(
            Field(command.UserId), Field(command.Name), command.Details is null ? "-" : Field(command.Details));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 16));
    }

    private static string Field(string value) =>
        value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + value;
}
