using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EventManagement.Api.Security;

/// <summary>
/// The Redis connection the rate limiter counts in: the application's shared <see cref="IConnectionMultiplexer"/> when
/// one is registered, else one of its own from <c>Cache:Redis</c>. Either way it fails fast while Redis is away, so the
/// limiter falls back to counting locally instead of making a request wait.
/// </summary>
public sealed class RateLimitRedisConnection(IServiceProvider services) : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer?> _shared = new(() => services.GetService<IConnectionMultiplexer>());
    private readonly string? _connectionString = services.GetRequiredService<IOptions<RateLimitRedisOptions>>().Value.ConnectionString;
    private readonly Lock _gate = new();
    private ConnectionMultiplexer? _own;

    /// <summary>True when there is a Redis to count in.</summary>
    public bool IsConfigured => _shared.Value is not null || !string.IsNullOrWhiteSpace(_connectionString);

    /// <summary>The connection; created on first use. Never waits longer than the short connect timeout.</summary>
    public IConnectionMultiplexer Get()
    {
        if (_shared.Value is { } shared)
        {
            return shared;
        }

        lock (_gate)
        {
            return _own ??= ConnectionMultiplexer.Connect(FailFastOptions(_connectionString
                ?? throw new InvalidOperationException($"{RateLimitRedisOptions.ConnectionStringKey} is not set.")));
        }
    }

    /// <summary>
    /// Short timeouts, no abort when Redis is down at start (it reconnects in the background), and commands fail at
    /// once while disconnected instead of queueing for the 5 s default.
    /// </summary>
    public static ConfigurationOptions FailFastOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        options.ConnectRetry = 1;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    public void Dispose() => _own?.Dispose();
}
