namespace EventManagement.MockApi.Stats;

/// <summary>One route's counts in GET /__admin/stats.</summary>
/// <param name="Calls">Every call received, including invalid ones.</param>
/// <param name="Failures">Calls failed on purpose: dropped connections and overload 503s.</param>
internal sealed record RouteCounts(long Calls, long Failures);
