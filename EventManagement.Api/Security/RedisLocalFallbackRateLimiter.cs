using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace EventManagement.Api.Security;

/// <summary>
/// One client's limit counted in Redis (for the cluster), or in this process while Redis fails: RedisRateLimiting
/// lets Redis errors through, which would make every limited request a 500 while Redis is away.
/// </summary>
public sealed class RedisLocalFallbackRateLimiter(
    RateLimiter inRedis,
    RateLimiter local,
    RateLimitFallbackMonitor monitor,
    TimeProvider timeProvider) : RateLimiter
{
    private static readonly RateLimitLease NotAcquired = new NoPermitLease();
    private long _lastUsed = timeProvider.GetTimestamp();

    /// <summary>
    /// Idle since its last use, so that the partitioned limiter evicts quiet clients (RedisRateLimiting's own limiter
    /// says it is never idle); never idle while the local count still holds spent permits.
    /// </summary>
    public override TimeSpan? IdleDuration => local.IdleDuration is null
        ? null
        : timeProvider.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    // Redis can only be asked asynchronously: refusing here makes the middleware call AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotAcquired;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, timeProvider.GetTimestamp());
        try
        {
            var lease = await inRedis.AcquireAsync(permitCount, cancellationToken);
            monitor.RedisAnswered();
            return lease;
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            monitor.RedisFailed(exception);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inRedis.Dispose();
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class NoPermitLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
