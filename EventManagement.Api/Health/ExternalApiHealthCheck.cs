using EventManagement.Application.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// Whether the external API answers HTTP. It is shared by every replica, so its failure is the registration's
/// failure status (Degraded): taking every replica out of the load balancer would not bring it back. The probe goes
/// through the same retries as every call, so one randomly dropped connection does not make readiness flap.
/// </summary>
public sealed class ExternalApiHealthCheck(IExternalEventsApi externalApi) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await externalApi.CheckReachableAsync(cancellationToken);
            return HealthCheckResult.Healthy("The external events API answers.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The external events API does not answer.", exception);
        }
    }
}
