namespace EventManagement.MockApi.Stats;

/// <summary>The body of GET /__admin/stats.</summary>
/// <param name="Routes">Counts per route, keyed like "GET /getUsers".</param>
/// <param name="EventLookups">GET /getEventById's concurrency and duplicate lookups.</param>
internal sealed record StatsResponse(IReadOnlyDictionary<string, RouteCounts> Routes, EventLookupCounts EventLookups);
