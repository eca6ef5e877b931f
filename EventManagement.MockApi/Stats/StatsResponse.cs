namespace EventManagement.MockApi.Stats;

/// <summary>The body of GET /__admin/stats.</summary>
/// <param name="Routes">Counts per route, keyed like "GET /getUsers".</param>
internal sealed record StatsResponse(IReadOnlyDictionary<string, RouteCounts> Routes);
