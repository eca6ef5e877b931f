using System.Security.Cryptography;
using System.Text;

namespace EventManagement.Application.Events;

/// <summary>Makes the ids the Api gives new events.</summary>
public static class EventIds
{
    private const string Prefix = "evt-";

    /// <summary>
    /// A new id: random, so two events made in the same millisecond cannot collide (a timestamp would).
    /// </summary>
    public static string New() => Prefix + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The id for a request that carries an <c>Idempotency-Key</c>: the same user, key and request (its
    /// fingerprint) always give the same id, so the external API stores a repeated request once. Scoped to the user
    /// so that two clients that pick the same key for different users do not collide; and to the request, so that
    /// when the key's record is gone another request with the same key is another event, not a replay of one that
    /// was never stored.
    /// </summary>
    public static string FromIdempotencyKey(string userId, string idempotencyKey, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{idempotencyKey}\n{fingerprint}"));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
