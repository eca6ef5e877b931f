using System.Collections.ObjectModel;
using System.Diagnostics;

namespace EventManagement.Tests.Builders;

/// <summary>
/// The in-memory exporter's target: spans end (and are added) on any thread while a test reads them, so both go
/// through one lock.
/// </summary>
public sealed class SpanCollector : Collection<Activity>
{
    private readonly Lock _gate = new();

    /// <summary>The ended spans of one trace, in the order they ended.</summary>
    public Activity[] Of(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return [.. Items.Where(span => span.TraceId == traceId)];
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }
}
