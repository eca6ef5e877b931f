using EventManagement.Application.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// Ready only while the external API answers HTTP. The probe goes through the same retries as every call, so one
/// randomly dropped connection does not make readiness flap.
/// </summary>
public sealed class ExternalApiHealthCheck(IExternalEventsApi externalApi) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await externalApi.CheckReachableAsync(cancellationToken);
            return HealthCheckResult.Healthy("The external events API answers.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The external events API does not answer.", exception);
        }
    }
}
