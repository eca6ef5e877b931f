using System.Text.Json;
using EventManagement.Application.Idempotency;
using EventManagement.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventManagement.Infrastructure.Idempotency;

/// <summary>
/// Idempotency-Key records in Redis, shared by every replica: a claim is <c>SET key claim NX PX inFlight</c>, so
/// exactly one request in the cluster gets it; the final answer replaces it for the retention; a release deletes
/// the key only while it still holds the releaser's own claim (a compare-and-delete script).
/// </summary>
internal sealed class RedisIdempotencyStore(RedisConnection connection) : IIdempotencyStore
{
    private const string KeyPrefix = RedisSetup.KeyPrefix + "idempotency:";

    // Deletes the key only if it still holds this claim: an expired claim that another request took stays.
    private const string ReleaseScript = """
        local value = redis.call('GET', KEYS[1])
        if value and string.find(value, ARGV[1], 1, true) then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public Task<IdempotencyClaim> TryClaimAsync(string key, string fingerprint, TimeSpan claimFor, CancellationToken cancellationToken) =>
        RunAsync(async database =>
        {
            var token = Guid.NewGuid().ToString("N");
            var claim = Serialize(new StoredIdempotencyEntry(fingerprint, token, null, null));
            // The key may expire between a failed SET NX and the GET: then try once more.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                if (await database.StringSetAsync(KeyPrefix + key, claim, claimFor, When.NotExists))
                {
                    return IdempotencyClaim.Claimed(fingerprint, token);
                }

                var existing = await database.StringGetAsync(KeyPrefix + key);
                if (existing.HasValue && Deserialize(existing!) is { } entry)
                {
                    return entry is { Result: { } result, Event: { } added }
                        ? IdempotencyClaim.Completed(new IdempotencyRecord(entry.Fingerprint, result, added))
                        : IdempotencyClaim.InFlight(entry.Fingerprint);
                }
            }

            throw new IdempotencyStoreUnavailableException($"The idempotency record of '{key}' kept changing.");
        });

    public Task CompleteAsync(string key, IdempotencyRecord record, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var value = Serialize(new StoredIdempotencyEntry(record.Fingerprint, null, record.Result, record.Event));
        return RunAsync(database => database.StringSetAsync(KeyPrefix + key, value, retention));
    }

    public Task ReleaseAsync(string key, string token, CancellationToken cancellationToken) =>
        RunAsync(database => database.ScriptEvaluateAsync(ReleaseScript, [(RedisKey)(KeyPrefix + key)], [token]));

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(connection.Multiplexer.GetDatabase());
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException or TimeoutException)
        {
            throw new IdempotencyStoreUnavailableException("Redis did not answer the idempotency command.", exception);
        }
    }

    private static string Serialize(StoredIdempotencyEntry entry) =>
        JsonSerializer.Serialize(entry, IdempotencyJsonContext.Default.StoredIdempotencyEntry);

    private static StoredIdempotencyEntry? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, IdempotencyJsonContext.Default.StoredIdempotencyEntry);
}
