using System.Diagnostics.Metrics;
using EventManagement.Application.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Api.Health;

/// <summary>
/// The readiness checks' last results as the gauge <c>eventmanagement.readiness.status</c> (one series per check: 0
/// Healthy, 1 Degraded, 2 Unhealthy), so that Prometheus can alert on /readyz being Degraded without probing it.
/// </summary>
/// <remarks>
/// The framework's publisher service runs the /readyz checks every <see cref="Period"/> and hands the report here; a
/// scrape of /metrics only reads the last one, so it never calls the external API or Redis. The checks that do I/O
/// answer from <see cref="CachedHealthCheck{TCheck}"/>, so the runs share their results with the probes.
/// </remarks>
public sealed class ReadinessMetricsPublisher : IHealthCheckPublisher
{
    /// <summary>How often the readiness checks run for the gauge.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private HealthReport? _last;

    public ReadinessMetricsPublisher(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        meterFactory.Create(EventManagementMetrics.MeterName).CreateObservableGauge(
            "eventmanagement.readiness.status",
            Observe,
            description: "Last result of each /readyz check (label check): 0 Healthy, 1 Degraded, 2 Unhealthy.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _last, report);
        return Task.CompletedTask;
    }

    /// <summary>The gauge's value for a status: higher is worse, as alert thresholds read best.</summary>
    public static int Value(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };

    private IEnumerable<Measurement<int>> Observe() =>
        Volatile.Read(ref _last) is { } report
            ? report.Entries.Select(static entry => new Measurement<int>(Value(entry.Value.Status), new KeyValuePair<string, object?>("check", entry.Key)))
            : [];
}
