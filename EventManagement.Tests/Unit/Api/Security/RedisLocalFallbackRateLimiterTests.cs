using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using EventManagement.Api.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EventManagement.Tests.Unit.Api.Security;

/// <summary>The Redis limiter's answer while Redis answers; a local count (never an exception) while it fails.</summary>
public sealed class RedisLocalFallbackRateLimiterTests
{
    private FakeTimeProvider _time = null!;
    private ScriptedLimiter _redis = null!;
    private RateLimitFallbackMonitor _monitor = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _redis = new ScriptedLimiter();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _monitor = new RateLimitFallbackMonitor(_services.GetRequiredService<IMeterFactory>(), NullLogger<RateLimitFallbackMonitor>.Instance);
    }

    [TearDown]
    public void TearDown()
    {
        _redis.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task AcquireAsync_WhileRedisAnswers_ReturnsItsLeaseAndSpendsNoLocalPermit()
    {
        using var limiter = Create(localPermits: 1);

        using var first = await limiter.AcquireAsync();
        using var second = await limiter.AcquireAsync();

        Assert.That(new[] { first.IsAcquired, second.IsAcquired }, Is.All.True);
        Assert.That(_redis.Calls, Is.EqualTo(2));
        Assert.That(_monitor.OnLocalCount, Is.False);
    }

    [TestCase(typeof(RedisConnectionException))]
    [TestCase(typeof(RedisTimeoutException))]
    public async Task AcquireAsync_WhileRedisFails_CountsLocally(Type failure)
    {
        _redis.Failure = failure == typeof(RedisTimeoutException)
            ? new RedisTimeoutException("timed out", CommandStatus.Sent)
            : new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down");
        using var limiter = Create(localPermits: 2);

        var granted = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            using var lease = await limiter.AcquireAsync();
            granted.Add(lease.IsAcquired);
        }

        Assert.That(granted, Is.EqualTo(new[] { true, true, false }));
        Assert.That(_monitor.OnLocalCount, Is.True);
    }

    [Test]
    public async Task AcquireAsync_WhenRedisAnswersAgain_UsesItAgain()
    {
        _redis.Failure = new RedisConnectionException(ConnectionFailureType.SocketFailure, "down");
        using var limiter = Create(localPermits: 1);
        using (await limiter.AcquireAsync())
        {
        }

        _redis.Failure = null;
        using var lease = await limiter.AcquireAsync();

        Assert.That(lease.IsAcquired, Is.True, "the local permit is spent; Redis granted this one");
        Assert.That(_monitor.OnLocalCount, Is.False);
    }

    [Test]
    public void AttemptAcquire_IsRefused_SoThatTheMiddlewareAsksAsynchronously()
    {
        using var limiter = Create(localPermits: 1);

        using var lease = limiter.AttemptAcquire();

        Assert.That(lease.IsAcquired, Is.False);
        Assert.That(_redis.Calls, Is.Zero);
    }

    [Test]
    public async Task IdleDuration_CountsFromTheLastUse()
    {
        using var limiter = Create(localPermits: 1);
        await limiter.AcquireAsync();

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(limiter.IdleDuration, Is.EqualTo(TimeSpan.FromSeconds(30)), "RedisRateLimiting's own limiter is never idle, so it would never be evicted");
    }

    [Test]
    public async Task IdleDuration_WhileLocalPermitsAreSpent_IsNull()
    {
        _redis.Failure = new RedisConnectionException(ConnectionFailureType.SocketFailure, "down");
        using var limiter = Create(localPermits: 1);
        await limiter.AcquireAsync();

        Assert.That(limiter.IdleDuration, Is.Null, "evicting it would hand the client a fresh local budget");
    }

    private RedisLocalFallbackRateLimiter Create(int localPermits) => new(
        _redis,
        new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = localPermits,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        }),
        _monitor,
        _time);

    /// <summary>Stands in for the Redis limiter: grants every permit, or throws <see cref="Failure"/>.</summary>
    private sealed class ScriptedLimiter : RateLimiter
    {
        public Exception? Failure { get; set; }

        public int Calls { get; private set; }

        public override TimeSpan? IdleDuration => TimeSpan.Zero;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => throw new NotSupportedException();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Calls++;
            return Failure is null ? ValueTask.FromResult<RateLimitLease>(new GrantedLease()) : ValueTask.FromException<RateLimitLease>(Failure);
        }
    }

    private sealed class GrantedLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
