using System.Diagnostics.Metrics;
using EventManagement.Application.Diagnostics;

namespace EventManagement.Api.Security;

/// <summary>
/// Whether the rate limiter counts in Redis or, while Redis fails, locally: one log line when the local count starts
/// and one when Redis answers again, and a counter of the decisions made locally (not a line per request).
/// </summary>
public sealed class RateLimitFallbackMonitor
{
    private readonly ILogger<RateLimitFallbackMonitor> _logger;
    private readonly Counter<long> _localDecisions;
    private int _onLocal;

    public RateLimitFallbackMonitor(IMeterFactory meterFactory, ILogger<RateLimitFallbackMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        _localDecisions = meterFactory.Create(EventManagementMetrics.MeterName).CreateCounter<long>(
            "eventmanagement.rate_limit.local_decisions",
            description: "Rate limit decisions made by this replica alone because Redis did not answer.");
    }

    /// <summary>True while the last Redis call failed.</summary>
    public bool OnLocalCount => Volatile.Read(ref _onLocal) == 1;

    public void RedisFailed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _localDecisions.Add(1);
        if (Interlocked.Exchange(ref _onLocal, 1) == 0)
        {
            _logger.LogWarning("Redis does not answer the rate limiter ({Reason}); limits are counted per replica until it does", exception.Message);
        }
    }

    public void RedisAnswered()
    {
        if (Interlocked.Exchange(ref _onLocal, 0) == 1)
        {
            _logger.LogInformation("Redis answers the rate limiter again; limits hold for the cluster");
        }
    }
}
