using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// Answers a readiness check from a result at most <see cref="MaxAge"/> old, so that probes from every load balancer
/// and kubelet do not each call the external API or Redis. One refresh runs at a time (single-flight) and belongs to
/// no probe: a probe that gives up does not cancel it. The result never carries exception text to callers: the
/// exception is logged, once per change of status, and left out.
/// </summary>
/// <typeparam name="TCheck">The check that does the I/O.</typeparam>
public sealed class CachedHealthCheck<TCheck>(TCheck inner, TimeProvider timeProvider, ILogger<TCheck> logger) : IHealthCheck
    where TCheck : IHealthCheck
{
    /// <summary>The oldest result a probe may be given.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    /// <summary>The longest one refresh may take; past it the dependency counts as not answering.</summary>
    public static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private HealthCheckResult? _last;
    private DateTimeOffset _lastAt;
    private Task<HealthCheckResult>? _refresh;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> refresh;
        lock (_gate)
        {
            if (_last is { } last && timeProvider.GetUtcNow() - _lastAt < MaxAge)
            {
                return last;
            }

            // Started on the thread pool, so that a check that completes at once cannot finish inside this lock.
            refresh = _refresh ??= Task.Run(() => RefreshAsync(context), CancellationToken.None);
        }

        return await refresh.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> RefreshAsync(HealthCheckContext context)
    {
        HealthCheckResult result;
        using (var timeout = new CancellationTokenSource(RefreshTimeout, timeProvider))
        {
            try
            {
                result = await inner.CheckHealthAsync(context, timeout.Token);
            }
            catch (Exception exception)
            {
                // A check that throws (or runs out of time) failed; it says what failure means for it.
                result = new HealthCheckResult(context.Registration.FailureStatus, "The check did not complete.", exception);
            }
        }

        var shown = new HealthCheckResult(result.Status, result.Description, exception: null, result.Data);
        lock (_gate)
        {
            var changed = _last?.Status != shown.Status;
            _last = shown;
            _lastAt = timeProvider.GetUtcNow();
            _refresh = null;
            if (changed)
            {
                LogChange(context.Registration.Name, result);
            }
        }

        return shown;
    }

    private void LogChange(string name, HealthCheckResult result)
    {
        if (result.Status == HealthStatus.Healthy)
        {
            logger.LogInformation("Readiness check {Check} is Healthy", name);
        }
        else
        {
            logger.LogWarning("Readiness check {Check} is {Status}: {Description} {Failure}", name, result.Status, result.Description, result.Exception?.GetBaseException().Message);
        }
    }
}
