using System.Collections.Concurrent;

namespace EventManagement.MockApi.Stats;

/// <summary>
/// What GET /getEventById sees of its callers' concurrency and waste: lookups in flight now and at most, and
/// how many event ids were asked for more than once (a duplicate lookup). Thread-safe.
/// </summary>
internal sealed class EventLookupStats
{
    private readonly ConcurrentDictionary<string, int> _lookupsById = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _peakInFlight;
    private int _repeatedIds;

    /// <summary>A lookup of <paramref name="eventId"/> starts; call <see cref="End"/> when it has answered.</summary>
    public void Begin(string eventId)
    {
        if (_lookupsById.AddOrUpdate(eventId, 1, static (_, count) => count + 1) == 2)
        {
            Interlocked.Increment(ref _repeatedIds);
        }

        var now = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peakInFlight);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInFlight, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    /// <summary>A lookup has answered (or its caller went away).</summary>
    public void End() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The figures so far.</summary>
    public EventLookupCounts Read() => new(
        Volatile.Read(ref _inFlight),
        Volatile.Read(ref _peakInFlight),
        _lookupsById.Count,
        Volatile.Read(ref _repeatedIds));

    /// <summary>Back to zero (lookups in flight keep counting down as they end).</summary>
    public void Reset()
    {
        _lookupsById.Clear();
        Interlocked.Exchange(ref _peakInFlight, Volatile.Read(ref _inFlight));
        Interlocked.Exchange(ref _repeatedIds, 0);
    }
}
