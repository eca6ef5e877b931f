using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using EventManagement.Infrastructure.Redis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RedisRateLimiting;

namespace EventManagement.Api.Security;

/// <summary>
/// POST /addEvent's limit: <see cref="SecurityOptions.AddEventRateLimit"/> calls per client address in each
/// <see cref="SecurityOptions.RateLimitWindow"/>. Counted in Redis for the whole cluster when there is one (with a
/// local count while Redis is away), else in this process. A refusal is a 429 problem with Retry-After.
/// </summary>
/// <remarks>It counts on the process's one Redis connection (<see cref="RedisConnection"/>, registered only when
/// <c>Cache:Redis</c> is set), which fails fast while Redis is away, so the local count takes over at once.</remarks>
public sealed class AddEventRateLimitPolicy(
    IOptions<SecurityOptions> security,
    RateLimitFallbackMonitor fallback,
    TimeProvider timeProvider,
    RedisConnection? redis = null) : IRateLimiterPolicy<string>
{
    private readonly SecurityOptions _options = security.Value;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var client = ClientKey(httpContext.Connection.RemoteIpAddress);
        return redis is not null
            ? RateLimitPartition.Get(client, CreateClusterLimiter)
            : RateLimitPartition.GetFixedWindowLimiter(client, _ => LocalOptions());
    }

    /// <summary>The client's address as one key whether it came in over IPv4 or as an IPv4-mapped IPv6 address.</summary>
    public static string ClientKey(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private RedisLocalFallbackRateLimiter CreateClusterLimiter(string client)
    {
        // RedisRateLimitPartition.GetFixedWindowRateLimiter only wraps this constructor in a partition; the limiter
        // itself is needed here to put the local fallback around it.
        var inRedis = new RedisFixedWindowRateLimiter<string>($"{RateLimitingSetup.AddEventPolicy}:{client}", new RedisFixedWindowRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis!.Multiplexer,
            PermitLimit = _options.AddEventRateLimit,
            Window = _options.RateLimitWindow,
        });
        return new RedisLocalFallbackRateLimiter(inRedis, new FixedWindowRateLimiter(LocalOptions()), fallback, timeProvider);
    }

    private FixedWindowRateLimiterOptions LocalOptions() => new()
    {
        PermitLimit = _options.AddEventRateLimit,
        Window = _options.RateLimitWindow,
        QueueLimit = 0,
    };

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var httpContext = context.HttpContext;
        httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        httpContext.Response.Headers[HeaderNames.RetryAfter] =
            RetryAfterSeconds(context.Lease, _options.RateLimitWindow).ToString(CultureInfo.InvariantCulture);
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests },
        });
    }

    /// <summary>
    /// Whole seconds to wait, at least 1: the framework's limiters give <see cref="MetadataName.RetryAfter"/> (a
    /// TimeSpan), RedisRateLimiting its own <see cref="RateLimitMetadataName.RetryAfter"/> (seconds); else the window.
    /// </summary>
    public static int RetryAfterSeconds(RateLimitLease lease, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var framework) ? framework
            : lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : window;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }
}
