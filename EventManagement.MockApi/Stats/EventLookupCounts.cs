namespace EventManagement.MockApi.Stats;

/// <summary>GET /getEventById's concurrency and duplicates in GET /__admin/stats.</summary>
/// <param name="InFlight">Lookups being answered now.</param>
/// <param name="PeakInFlight">The most lookups answered at once since start or reset.</param>
/// <param name="DistinctIds">Event ids looked up at least once.</param>
/// <param name="IdsLookedUpMoreThanOnce">Event ids looked up twice or more.</param>
internal sealed record EventLookupCounts(int InFlight, int PeakInFlight, int DistinctIds, int IdsLookedUpMoreThanOnce);
