using StackExchange.Redis;

namespace EventManagement.Infrastructure.Redis;

/// <summary>
/// Turns <c>Cache:Redis</c> into StackExchange.Redis options that never let Redis stall a request: short timeouts,
/// no failed start when Redis is down, and commands refused at once while disconnected instead of queued.
/// </summary>
public static class RedisConfiguration
{
    /// <summary>Longest wait for a connection; also bounds how long start-up waits for an absent Redis.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one command's answer.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The options for <paramref name="connectionString"/>. Timeouts the string names itself are kept; the rest get
    /// the short defaults above.
    /// </summary>
    /// <exception cref="ArgumentException">The string is not a valid connection string.</exception>
    public static ConfigurationOptions From(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = ConfigurationOptions.Parse(connectionString);
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("it names no server.", nameof(connectionString));
        }

        if (!Names(connectionString, "connectTimeout"))
        {
            options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        }

        if (!Names(connectionString, "syncTimeout"))
        {
            options.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        }

        if (!Names(connectionString, "asyncTimeout"))
        {
            options.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        }

        // Start even when Redis is down, and keep reconnecting in the background (every 0.5 s up to every 5 s).
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new ExponentialRetry(500, 5000);
        // Without this, commands issued while disconnected wait in a backlog until the connection returns or they
        // time out (about 5 s); failing at once lets the memory tier and the external API answer instead.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "EventManagement.Api";
        return options;
    }

    private static bool Names(string connectionString, string option) =>
        connectionString.Split(',').Any(part => part.Trim().StartsWith(option + "=", StringComparison.OrdinalIgnoreCase));
}
