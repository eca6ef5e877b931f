using EventManagement.Infrastructure.Redis;
using HealthChecks.Redis;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// /healthz (liveness: the process serves requests) and /readyz (readiness: worth sending traffic to).
/// Only this process's own state makes /readyz 503; a shared dependency that is down (the external API, Redis) or the
/// breaker open is Degraded with 200, so that one outage of a shared part cannot take every replica out at once.
/// </summary>
public static class HealthSetup
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ExternalApiHealthCheck>();
        services.AddSingleton<CachedHealthCheck<ExternalApiHealthCheck>>();
        var checks = services.AddHealthChecks()
            .AddCheck("self", static () => HealthCheckResult.Healthy("The Api serves requests."), tags: [Live])
            .AddCheck<ProcessStateHealthCheck>("process", tags: [Ready])
            .AddCheck<CachedHealthCheck<ExternalApiHealthCheck>>("external-api", HealthStatus.Degraded, [Ready])
            .AddCheck<CircuitBreakerHealthCheck>("add-event-circuit-breaker", tags: [Ready]);

        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.IsConfigured)
        {
            // The library's check (PING on every server) over the one shared connection, answered from a recent result.
            services.AddSingleton(static services => new RedisHealthCheck(services.GetRequiredService<RedisConnection>().Multiplexer));
            services.AddSingleton<CachedHealthCheck<RedisHealthCheck>>();
            checks.AddCheck<CachedHealthCheck<RedisHealthCheck>>("redis", HealthStatus.Degraded, [Ready]);
        }

        // The /readyz checks also run in the background for the readiness gauge of /metrics.
        services.AddSingleton<IHealthCheckPublisher, ReadinessMetricsPublisher>();
        services.Configure<HealthCheckPublisherOptions>(static publishing =>
        {
            publishing.Period = ReadinessMetricsPublisher.Period;
            publishing.Predicate = static check => check.Tags.Contains(Ready);
        });
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
