using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventManagement.Application.Resilience;

namespace EventManagement.Application.Diagnostics;

/// <summary>Our own meters: the breaker's state and transitions, retries, upstream call durations and shared reads.</summary>
public sealed class EventManagementMetrics
{
    /// <summary>The meter name to export (OpenTelemetry's <c>AddMeter</c>).</summary>
    public const string MeterName = "EventManagement";

    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _sharedReads;

    public EventManagementMetrics(IMeterFactory meterFactory, CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        var meter = meterFactory.Create(MeterName);

        meter.CreateObservableGauge(
            "eventmanagement.circuit_breaker.state",
            () => (int)circuitBreaker.State,
            description: "State of the POST /addEvent circuit breaker: 0 closed, 1 open, 2 half-open.");
        _breakerTransitions = meter.CreateCounter<long>(
            "eventmanagement.circuit_breaker.transitions",
            description: "Circuit breaker state transitions.");
        _retries = meter.CreateCounter<long>(
            "eventmanagement.upstream.retries",
            description: "Retries of calls to the external events API.");
        _upstreamDuration = meter.CreateHistogram<double>(
            "eventmanagement.upstream.duration",
            unit: "s",
            description: "Duration of calls to the external events API, retries included.");
        _sharedReads = meter.CreateCounter<long>(
            "eventmanagement.upstream.shared_reads",
            description: "Requests answered by a fresh upstream read that another request had already queued: upstream calls saved.");

        circuitBreaker.StateChanged += (_, change) => _breakerTransitions.Add(
            1,
            new KeyValuePair<string, object?>("from", change.From.ToString()),
            new KeyValuePair<string, object?>("to", change.To.ToString()));
    }

    /// <summary>Counts one retry of an upstream call.</summary>
    public void RecordRetry(string route) =>
        _retries.Add(1, new KeyValuePair<string, object?>("route", route));

    /// <summary>Counts one request that shared another request's upstream read of <paramref name="route"/>.</summary>
    public void RecordSharedRead(string route) =>
        _sharedReads.Add(1, new KeyValuePair<string, object?>("route", route));

    /// <summary>Records one upstream call (all its attempts) by route and outcome.</summary>
    public void RecordUpstreamCall(string route, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "route", route }, { "outcome", outcome } };
        _upstreamDuration.Record(elapsed.TotalSeconds, tags);
    }
}
