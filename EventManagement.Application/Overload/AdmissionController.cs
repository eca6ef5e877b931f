using EventManagement.Application.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventManagement.Application.Overload;

/// <summary>
/// Early refusal: a request whose lookups cannot be done before its deadline, given the work already admitted, is
/// refused at once (503 <c>service busy</c> with <c>Retry-After</c>) instead of being accepted and timed out.
/// </summary>
/// <remarks>
/// <para>
/// Capacity is the call budget over the lookup latency (a moving average of the lookups timed, starting from
/// <see cref="RequestOptions.ExpectedLookupLatency"/>). The budget serves the smallest request first
/// (<see cref="FairConcurrencyLimiter"/>), so a request with <c>w</c> lookups ends after its own and those of the
/// admitted requests with no more remaining work than <c>w</c>; it delays each larger one by <c>w</c> lookups.
/// A newcomer is admitted when it ends within its deadline and when it pushes no admitted request past its own;
/// the estimate adds one lookup latency (work moves in rounds) and keeps a margin of <see cref="Headroom"/>.
/// </para>
/// <para>Refusals are counted, and logged once when refusing starts and once when it stops.</para>
/// </remarks>
public sealed class AdmissionController(
    FairConcurrencyLimiter budget,
    IOptions<RequestOptions> options,
    TimeProvider timeProvider,
    OverloadMetrics metrics,
    ILogger<AdmissionController> logger)
{
    /// <summary>The share of the time left that the estimate may fill.</summary>
    public const double Headroom = 0.85;

    private const double LatencyWeight = 0.05;
    private static readonly TimeSpan QuietBeforeStop = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<LookupPlan> _admitted = [];
    private double _latencySeconds = options.Value.ExpectedLookupLatency.TotalSeconds;
    private bool _refusing;
    private long _refusedSinceStart;
    private DateTimeOffset _lastRefusal;

    /// <summary>The lookup latency admission works with now.</summary>
    public TimeSpan LookupLatency
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromSeconds(_latencySeconds);
            }
        }
    }

    /// <summary>
    /// Declares the lookups the current request is about to make; <c>null</c> outside a request or for none.
    /// Dispose the plan when the request's lookups are over.
    /// </summary>
    public LookupPlan? Plan(int lookups)
    {
        if (lookups <= 0 || RequestDeadline.Current is not { } deadline)
        {
            return null;
        }

        var plan = new LookupPlan(this, deadline, lookups);
        deadline.Plan = plan;
        return plan;
    }

    /// <summary>Feeds the latency estimate with one lookup the external API answered.</summary>
    public void ObserveLookup(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _latencySeconds += LatencyWeight * (elapsed.TotalSeconds - _latencySeconds);
        }
    }

    internal void EnsureAdmitted(LookupPlan plan)
    {
        string? change = null;
        var admitted = false;
        lock (_gate)
        {
            if (plan.Decision == AdmissionDecision.Undecided)
            {
                var now = timeProvider.GetUtcNow();
                admitted = Fits(plan, now, out var backlogSeconds);
                if (admitted)
                {
                    plan.Decision = AdmissionDecision.Admitted;
                    _admitted.Add(plan);
                    change = StopRefusingIfQuiet(now);
                }
                else
                {
                    plan.Decision = AdmissionDecision.Refused;
                    plan.RetryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(backlogSeconds)));
                    _lastRefusal = now;
                    _refusedSinceStart++;
                    if (!_refusing)
                    {
                        _refusing = true;
                        change = $"Refusing requests that cannot finish within their deadline: about {backlogSeconds:0.0} s of "
                            + $"admitted work for {budget.Limit} calls in flight at {_latencySeconds * 1000:0} ms a lookup";
                    }
                }

                if (!admitted)
                {
                    metrics.RecordRefusal("admission");
                }
            }
            else
            {
                admitted = plan.Decision == AdmissionDecision.Admitted;
            }
        }

        if (change is not null)
        {
            logger.LogWarning("{AdmissionChange}", change);
        }

        if (!admitted)
        {
            EventManagementActivities.Decision(
                "admission.refused",
                new KeyValuePair<string, object?>("lookups", plan.Lookups),
                new KeyValuePair<string, object?>("retry_after_s", plan.RetryAfter.TotalSeconds));
            throw new ServiceBusyException(
                $"The Api cannot look up {plan.Lookups} events within the request's deadline of {plan.Deadline.Timeout.TotalSeconds:0.#} s given the work already admitted.",
                plan.RetryAfter);
        }
    }

    internal void Forget(LookupPlan plan)
    {
        string? change = null;
        lock (_gate)
        {
            if (_admitted.Remove(plan) && _admitted.Count == 0 && _refusing)
            {
                change = StopRefusing();
            }
        }

        if (change is not null)
        {
            logger.LogWarning("{AdmissionChange}", change);
        }
    }

    // Under the lock. The budget serves the smallest request first (ties: the first admitted), so a request finishes
    // once every request with no more remaining work than it has finished too; the newcomer delays only those larger.
    private bool Fits(LookupPlan newcomer, DateTimeOffset now, out double backlogSeconds)
    {
        var capacity = budget.Limit / Math.Max(_latencySeconds, 1e-6);
        var work = (double)newcomer.Remaining;
        var others = new (double Remaining, int Order, double Slack)[_admitted.Count];
        var backlog = 0.0;
        for (var i = 0; i < others.Length; i++)
        {
            others[i] = (_admitted[i].Remaining, i, (_admitted[i].Deadline.ExpiresAt - now).TotalSeconds);
            backlog += others[i].Remaining;
        }

        backlogSeconds = (backlog + work) / capacity;
        Array.Sort(others, static (a, b) => a.Remaining != b.Remaining ? a.Remaining.CompareTo(b.Remaining) : a.Order.CompareTo(b.Order));

        var ahead = 0.0;
        var before = 0.0;
        foreach (var (remaining, _, slack) in others)
        {
            before += remaining;
            if (remaining <= work)
            {
                ahead = before;
                continue;
            }

            // A request that would miss its deadline anyway is no reason to refuse the newcomer.
            if (!InTime((before + work) / capacity, slack) && InTime(before / capacity, slack))
            {
                return false;
            }
        }

        return InTime((ahead + work) / capacity, (newcomer.Deadline.ExpiresAt - now).TotalSeconds);
    }

    private bool InTime(double seconds, double slackSeconds) => seconds + _latencySeconds <= Headroom * slackSeconds;

    private string? StopRefusingIfQuiet(DateTimeOffset now) =>
        _refusing && now - _lastRefusal >= QuietBeforeStop ? StopRefusing() : null;

    private string StopRefusing()
    {
        var message = $"Stopped refusing requests ({_refusedSinceStart} refused)";
        _refusing = false;
        _refusedSinceStart = 0;
        return message;
    }
}
