namespace EventManagement.Tests.EndToEnd;

/// <summary>One route's counters from the MockApi's GET /__admin/stats.</summary>
internal readonly record struct RouteCounts(long Calls, long Failures)
{
    public static RouteCounts operator -(RouteCounts after, RouteCounts before) =>
        new(after.Calls - before.Calls, after.Failures - before.Failures);

    public override string ToString() => $"{Calls} calls, {Failures} failures";
}
