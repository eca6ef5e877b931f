namespace EventManagement.MockApi.Faults;

/// <summary>The fault settings in force; the routes read them once per request.</summary>
/// <remarks>
/// Immutable, so that a request sees one consistent set even while PUT /__admin/faults swaps in another.
/// The names and value formats are those of <see cref="Options.MockApiOptions"/>, so the JSON of GET /__admin/faults
/// can be sent back to PUT /__admin/faults as it is.
/// </remarks>
/// <param name="EventDelay">Wait before GET /getEventById answers.</param>
/// <param name="RandomFailureRate">Probability that GET /getUsers or GET /getEvents drops the connection.</param>
/// <param name="RandomSeed">Seed of the drop sequence; null for unseeded.</param>
/// <param name="OverloadEnabled">Whether POST /addEvent fails in cycles.</param>
/// <param name="OverloadCycleLength">Valid POST /addEvent calls per cycle.</param>
/// <param name="OverloadSuccessesPerCycle">Calls at the start of each cycle that succeed.</param>
/// <param name="OverloadFailureDelay">Wait before an overload 503.</param>
/// <param name="AddEventDelay">Extra wait before every valid POST /addEvent.</param>
/// <param name="EventFailureRate">Probability that GET /getEventById answers 503 at once (1: every lookup fails).</param>
internal sealed record FaultSettings(
    TimeSpan EventDelay,
    double RandomFailureRate,
    int? RandomSeed,
    bool OverloadEnabled,
    int OverloadCycleLength,
    int OverloadSuccessesPerCycle,
    TimeSpan OverloadFailureDelay,
    TimeSpan AddEventDelay,
    double EventFailureRate);
