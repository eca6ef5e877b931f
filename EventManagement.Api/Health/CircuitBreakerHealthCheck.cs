using EventManagement.Application.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>Degraded while the POST /addEvent breaker is not closed: reads still work, adds are refused.</summary>
public sealed class CircuitBreakerHealthCheck(CircuitBreaker circuitBreaker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = circuitBreaker.State;
        var data = new Dictionary<string, object> { ["state"] = state.ToString() };
        return Task.FromResult(state == CircuitState.Closed
            ? HealthCheckResult.Healthy("The add-event circuit breaker is closed.", data)
            : HealthCheckResult.Degraded($"The add-event circuit breaker is {state}.", data: data));
    }
}
