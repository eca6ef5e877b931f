using System.Diagnostics.Metrics;
using EventManagement.Application.Overload;

namespace EventManagement.Application.Diagnostics;

/// <summary>
/// Meters of overload handling: calls waiting for and holding the external API's call budget, requests refused
/// early, requests past their deadline and retries the retry budget denied. Decisions under load are counted here,
/// not logged one by one.
/// </summary>
public sealed class OverloadMetrics
{
    private readonly Counter<long> _refused;
    private readonly Counter<long> _deadlineExceeded;
    private readonly Counter<long> _retriesDenied;

    public OverloadMetrics(IMeterFactory meterFactory, FairConcurrencyLimiter budget)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(budget);
        var meter = meterFactory.Create(EventManagementMetrics.MeterName);

        meter.CreateObservableGauge(
            "eventmanagement.upstream.calls_waiting",
            () => budget.Waiting,
            description: "Calls to the external events API waiting for a slot of the call budget.");
        meter.CreateObservableGauge(
            "eventmanagement.upstream.calls_in_flight",
            () => budget.InFlight,
            description: "Calls to the external events API holding a slot of the call budget (ExternalApi:MaxConcurrentCalls).");
        _refused = meter.CreateCounter<long>(
            "eventmanagement.requests.refused",
            description: "Requests refused early with 503 service busy, by reason (admission: could not finish within the deadline; queue_full).");
        _deadlineExceeded = meter.CreateCounter<long>(
            "eventmanagement.requests.deadline_exceeded",
            description: "Requests that ran past Requests:Timeout and ended with 504.");
        _retriesDenied = meter.CreateCounter<long>(
            "eventmanagement.upstream.retries_denied",
            description: "Retries of calls to the external events API that the retry budget did not allow.");

        // Exported at 0 from the start: a series that first appears at 1 is lost to rate() and increase(), and the
        // alert rules on refusals and timeouts (deploy/prometheus/alerts.yml) would miss the first ones.
        RecordRefusals("admission", 0);
        RecordRefusals("queue_full", 0);
        _deadlineExceeded.Add(0);
    }

    /// <summary>Counts one request refused early.</summary>
    public void RecordRefusal(string reason) => RecordRefusals(reason, 1);

    /// <summary>Counts one request that ended past its deadline.</summary>
    public void RecordDeadlineExceeded() => _deadlineExceeded.Add(1);

    /// <summary>Counts one retry the retry budget denied.</summary>
    public void RecordRetryDenied(string route) =>
        _retriesDenied.Add(1, new KeyValuePair<string, object?>("route", route));

    private void RecordRefusals(string reason, long count) =>
        _refused.Add(count, new KeyValuePair<string, object?>("reason", reason));
}
