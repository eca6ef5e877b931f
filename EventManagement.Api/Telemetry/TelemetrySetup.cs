using EventManagement.Application.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventManagement.Api.Telemetry;

/// <summary>
/// Prometheus metrics at /metrics (HTTP server metrics, the runtime's own, plus our meter) and, only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces exported over OTLP.
/// </summary>
/// <remarks>
/// Without the endpoint no tracer provider exists, so nothing listens to the activity sources and no span is sampled
/// or built. The W3C <c>traceparent</c> still flows to the external API: ASP.NET Core makes an Activity per request
/// for its own logging, and HttpClient sends the current Activity's context whether or not anyone records it.
/// Calls to the external API are timed once, by our <c>eventmanagement.upstream.duration</c> (route and outcome,
/// retries included): HttpClient's own <c>http.client.*</c> metrics would time each of them a second time, on every
/// request, for figures nobody reads (traces still get a span per attempt).
/// </remarks>
public static class TelemetrySetup
{
    /// <summary>The OpenTelemetry variable whose presence turns the trace exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name when neither <c>OTEL_SERVICE_NAME</c> nor <c>OTEL_RESOURCE_ATTRIBUTES</c> gives one.</summary>
    public const string DefaultServiceName = "EventManagement.Api";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry()
            // The environment detector runs again after our default, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
            // win over it (a later resource overrides an earlier one).
            .ConfigureResource(static resource => resource
                .AddService(DefaultServiceName)
                .AddEnvironmentVariableDetector())
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

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL (grpc or http/protobuf)
            // and OTEL_EXPORTER_OTLP_HEADERS itself.
            telemetry.WithTracing(static tracing => tracing.AddTracedSources().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// What a trace holds: the incoming request (probes and scrapes left out), each HTTP attempt to the external API,
    /// and our own spans and decision events (<see cref="EventManagementActivities"/>).
    /// </summary>
    public static TracerProviderBuilder AddTracedSources(this TracerProviderBuilder tracing) =>
        tracing
            .AddAspNetCoreInstrumentation(static aspNetCore => aspNetCore.Filter = static context => !IsProbeOrScrape(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddSource(EventManagementActivities.SourceName);

    public static WebApplication MapMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
