using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EventManagement.Infrastructure.Redis;

/// <summary>
/// The one connection to Redis that this process shares: the event cache's distributed tier, the idempotency store,
/// the readiness check and the rate limiter all use <see cref="Multiplexer"/>. Registered only when
/// <c>Cache:Redis</c> is set, so <c>GetService&lt;RedisConnection&gt;()</c> returning null means "no Redis".
/// </summary>
/// <remarks>
/// Connects on first use, without failing when Redis is down (StackExchange.Redis keeps reconnecting), and logs
/// when the connection is lost and when it is back, once each rather than once per failed command.
/// </remarks>
public sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;
    private readonly ILogger<RedisConnection> _logger;
    private int _down;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var configuration = RedisConfiguration.From(options.Value.Redis);
        _multiplexer = new(() => Connect(configuration), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The shared multiplexer. The first call connects (waiting at most the connect timeout).</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    /// <summary>True while at least one Redis server is connected.</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsConnected;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }

    private ConnectionMultiplexer Connect(ConfigurationOptions configuration)
    {
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        // Every failed reconnect attempt raises ConnectionFailed again: log the change of state, not each attempt.
        multiplexer.ConnectionFailed += (_, failed) =>
        {
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                _logger.LogWarning("Redis connection to {EndPoint} lost ({FailureType}); serving from memory and the external API until it is back", failed.EndPoint, failed.FailureType);
            }
        };
        multiplexer.ConnectionRestored += (_, restored) =>
        {
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                _logger.LogInformation("Redis connection to {EndPoint} is back", restored.EndPoint);
            }
        };
        if (!multiplexer.IsConnected && Interlocked.Exchange(ref _down, 1) == 0)
        {
            _logger.LogWarning("Redis at {Servers} does not answer; starting without it and reconnecting in the background", string.Join(",", configuration.EndPoints));
        }

        return multiplexer;
    }
}
