using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>/healthz (liveness: the process serves requests) and /readyz (readiness: worth sending traffic to).</summary>
public static class HealthSetup
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("self", static () => HealthCheckResult.Healthy("The Api serves requests."), tags: [Live])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [Ready])
            .AddCheck<ExternalApiHealthCheck>("external-api", timeout: TimeSpan.FromSeconds(5), tags: [Ready])
            .AddCheck<CircuitBreakerHealthCheck>("add-event-circuit-breaker", tags: [Ready]);
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz", Options(Live));
        app.MapHealthChecks("/readyz", Options(Ready));
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse,
    };
}
