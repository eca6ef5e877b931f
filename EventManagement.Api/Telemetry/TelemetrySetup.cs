using EventManagement.Application.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EventManagement.Api.Telemetry;

/// <summary>
/// Prometheus metrics at /metrics: HTTP server metrics, the runtime's own (GC, memory, thread pool), plus our meter.
/// Calls to the external API are timed once, by our <c>eventmanagement.upstream.duration</c> (route and outcome,
/// retries included): HttpClient's own <c>http.client.*</c> instruments would time each of them a second time, on
/// every request, for figures nobody reads.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(static resource => resource.AddService("EventManagement.Api"))
            .WithMetrics(static metrics => metrics
                .AddAspNetCoreInstrumentation()
                // Recorded on every request (the memory pool's on every buffer rented) and read by nobody: the request
                // rate and latency come from http.server.request.duration. Dropped, so that nothing listens to them.
                .AddView("http.server.active_requests", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.routing.match_attempts", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop)
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
