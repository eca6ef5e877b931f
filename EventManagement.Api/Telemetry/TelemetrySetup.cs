using EventManagement.Application.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EventManagement.Api.Telemetry;

/// <summary>Prometheus metrics at /metrics: HTTP server and client metrics, the runtime's own (GC, memory, thread pool), plus our meter.</summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(static resource => resource.AddService("EventManagement.Api"))
            .WithMetrics(static metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // .NET's built-in runtime meter: heap size, allocations, GC pauses, working set, thread pool queue.
                .AddMeter("System.Runtime")
                .AddMeter(EventManagementMetrics.MeterName)
                .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
