using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Options;
using EventManagement.MockApi.Stats;
using Microsoft.Extensions.Options;

namespace EventManagement.MockApi.Hosting;

/// <summary>Puts everything back to its start-up state; used at start and by POST /__admin/reset.</summary>
/// <remarks>
/// The seed files are read first: if they are broken, the reset fails and nothing has changed.
/// The parts are reset one after the other, not atomically; a request racing a reset may see a mix,
/// which is fine for a control route meant to run between tests.
/// </remarks>
internal sealed class MockApiResetter(
    SeedDataReader reader,
    MockDataStore store,
    RouteStats stats,
    RecentRequests recentRequests,
    OverloadCycle overload,
    FaultSettingsHolder faults,
    IOptions<MockApiOptions> options)
{
    /// <summary>Reads the seed, then resets data, counters, recorded requests, overload cycle and fault settings.</summary>
    /// <exception cref="InvalidDataException">The seed files are missing or broken.</exception>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var seed = await reader.ReadAsync(cancellationToken);
        store.Replace(seed);
        stats.Reset();
        recentRequests.Reset();
        overload.Restart();
        faults.Reset(options.Value.ToFaultSettings());
    }
}
