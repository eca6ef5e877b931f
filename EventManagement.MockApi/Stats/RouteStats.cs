namespace EventManagement.MockApi.Stats;

/// <summary>The counters of the routes that stand in for the external API.</summary>
internal sealed class RouteStats
{
    /// <summary>GET /getUsers.</summary>
    public RouteCounter GetUsers { get; } = new();

    /// <summary>GET /getUserById/{id}.</summary>
    public RouteCounter GetUserById { get; } = new();

    /// <summary>GET /getEvents.</summary>
    public RouteCounter GetEvents { get; } = new();

    /// <summary>GET /getEventById/{id}.</summary>
    public RouteCounter GetEventById { get; } = new();

    /// <summary>POST /addEvent.</summary>
    public RouteCounter AddEvent { get; } = new();

    /// <summary>GET /getEventById's lookups in flight and duplicates.</summary>
    public EventLookupStats EventLookups { get; } = new();

    private IEnumerable<(string Route, RouteCounter Counter)> All =>
    [
        ("GET /getUsers", GetUsers),
        ("GET /getUserById", GetUserById),
        ("GET /getEvents", GetEvents),
        ("GET /getEventById", GetEventById),
        ("POST /addEvent", AddEvent),
    ];

    /// <summary>The counts so far, per route.</summary>
    public StatsResponse Read() =>
        new(All.ToDictionary(entry => entry.Route, entry => entry.Counter.Read(), StringComparer.Ordinal), EventLookups.Read());

    /// <summary>All counters back to zero.</summary>
    public void Reset()
    {
        foreach (var (_, counter) in All)
        {
            counter.Reset();
        }

        EventLookups.Reset();
    }
}
