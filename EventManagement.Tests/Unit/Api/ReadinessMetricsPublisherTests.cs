using System.Diagnostics.Metrics;
using EventManagement.Api.Health;
using EventManagement.Application.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventManagement.Tests.Unit.Api;

/// <summary>The readiness gauge: one series per check of the last report, 0 Healthy, 1 Degraded, 2 Unhealthy.</summary>
public sealed class ReadinessMetricsPublisherTests
{
    private const string Gauge = "eventmanagement.readiness.status";
    private ServiceProvider _services = null!;
    private ReadinessMetricsPublisher _publisher = null!;

    [SetUp]
    public void SetUp()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _publisher = new ReadinessMetricsPublisher(_services.GetRequiredService<IMeterFactory>());
    }

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public void Gauge_BeforeTheFirstReport_HasNoSeries()
    {
        Assert.That(ReadGauge(), Is.Empty);
    }

    [Test]
    public async Task Gauge_AfterAReport_HasOneSeriesPerCheckWithHigherForWorse()
    {
        await _publisher.PublishAsync(
            Report(("process", HealthStatus.Healthy), ("external-api", HealthStatus.Degraded), ("redis", HealthStatus.Unhealthy)),
            CancellationToken.None);

        Assert.That(ReadGauge(), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["process"] = 0,
            ["external-api"] = 1,
            ["redis"] = 2,
        }));
    }

    [Test]
    public async Task Gauge_AfterALaterReport_ShowsOnlyTheLaterOne()
    {
        await _publisher.PublishAsync(Report(("external-api", HealthStatus.Degraded), ("redis", HealthStatus.Degraded)), CancellationToken.None);
        await _publisher.PublishAsync(Report(("external-api", HealthStatus.Healthy)), CancellationToken.None);

        Assert.That(ReadGauge(), Is.EquivalentTo(new Dictionary<string, int> { ["external-api"] = 0 }));
    }

    private static HealthReport Report(params (string Check, HealthStatus Status)[] entries) =>
        new(
            entries.ToDictionary(
                static entry => entry.Check,
                static entry => new HealthReportEntry(entry.Status, description: null, TimeSpan.Zero, exception: null, data: null)),
            TimeSpan.Zero);

    /// <summary>The gauge's current series (check label to value) of this test's meter factory only.</summary>
    private Dictionary<string, int> ReadGauge()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        var series = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            // Other tests create meters of the same name at the same time: listen to this test's factory only.
            if (instrument.Meter.Name == EventManagementMetrics.MeterName && instrument.Name == Gauge && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            var check = tags.ToArray().Single(static tag => tag.Key == "check").Value as string;
            series[check!] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return series;
    }
}
