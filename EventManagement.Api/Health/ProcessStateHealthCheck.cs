using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// The only readiness check that can make /readyz answer 503: this process's own state. Unhealthy until the host
/// has started, and from the moment shutdown starts, so that load balancers stop sending traffic during the drain.
/// </summary>
public sealed class ProcessStateHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The Api is shutting down.")
            : !lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Unhealthy("The Api is starting.")
            : HealthCheckResult.Healthy("The Api is running."));
}
