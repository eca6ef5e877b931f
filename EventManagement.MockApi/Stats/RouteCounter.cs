namespace EventManagement.MockApi.Stats;

/// <summary>Thread-safe call and deliberate-failure counts of one route.</summary>
internal sealed class RouteCounter
{
    private long _calls;
    private long _failures;

    /// <summary>Counts a call received, valid or not.</summary>
    public void RecordCall() => Interlocked.Increment(ref _calls);

    /// <summary>Counts a call failed on purpose (a dropped connection or an overload 503).</summary>
    public void RecordFailure() => Interlocked.Increment(ref _failures);

    /// <summary>The counts so far.</summary>
    public RouteCounts Read() => new(Interlocked.Read(ref _calls), Interlocked.Read(ref _failures));

    /// <summary>Back to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _failures, 0);
    }
}
