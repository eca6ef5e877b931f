using System.Diagnostics;

namespace EventManagement.Application.Diagnostics;

/// <summary>
/// Our own spans and span events (OpenTelemetry's <c>AddSource</c>): the upstream calls, the cached lookups and the
/// shared reads as spans; the decisions (breaker refused or probed, each retry, early refusal, deadline passed) as
/// events on the span they happened in.
/// </summary>
/// <remarks>
/// Nothing listens to <see cref="Source"/> unless tracing is exported, and then <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and <see cref="Decision"/> returns at once: with tracing off these cost one check, no allocation.
/// </remarks>
public static class EventManagementActivities
{
    /// <summary>The activity source name to export (OpenTelemetry's <c>AddSource</c>).</summary>
    public const string SourceName = "EventManagement";

    /// <summary>The source of every span this service makes itself.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>True when spans of <see cref="Source"/> are being recorded (a tracer provider listens to it).</summary>
    public static bool IsTracing => Source.HasListeners();

    /// <summary>Records a decision as an event on the current span, when that span is being recorded.</summary>
    public static void Decision(string name, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!IsTracing || Activity.Current is not { IsAllDataRequested: true } current)
        {
            return;
        }

        ActivityTagsCollection? collected = null;
        if (!tags.IsEmpty)
        {
            collected = [];
            foreach (var tag in tags)
            {
                collected.Add(tag);
            }
        }

        current.AddEvent(new ActivityEvent(name, tags: collected));
    }

    /// <summary>Starts a span of ours as a child of the current one, or returns null when tracing is off.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) =>
        IsTracing ? Source.StartActivity(name, kind) : null;
}
