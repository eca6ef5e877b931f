using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Endpoints;

/// <summary>The random failure of GET /getUsers and GET /getEvents: the connection goes, no HTTP answer comes.</summary>
internal static class ConnectionDrop
{
    /// <summary>With probability RandomFailureRate aborts the connection and counts a deliberate failure.</summary>
    /// <returns>True when the connection was dropped; the caller must then write nothing.</returns>
    public static bool TryDrop(HttpContext context, FaultSettingsHolder faults, RouteCounter counter)
    {
        if (!faults.RollDrop())
        {
            return false;
        }

        counter.RecordFailure();
        // Abort rather than a 5xx: the real API's failure is a reset connection, which clients must handle as such.
        context.Abort();
        return true;
    }
}
