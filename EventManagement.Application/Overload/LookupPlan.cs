namespace EventManagement.Application.Overload;

/// <summary>
/// The event lookups one request is about to make, declared before its fan-out so that admission can judge the
/// request as a whole: the first lookup that reaches the external API decides for all of them (admitted or
/// refused before any is sent), and lookups answered from the cache never ask.
/// </summary>
public sealed class LookupPlan : IDisposable
{
    private readonly AdmissionController _admission;
    private int _completed;

    internal LookupPlan(AdmissionController admission, RequestDeadline deadline, int lookups)
    {
        _admission = admission;
        Deadline = deadline;
        Lookups = lookups;
    }

    /// <summary>The request's deadline.</summary>
    public RequestDeadline Deadline { get; }

    /// <summary>Lookups declared.</summary>
    public int Lookups { get; }

    /// <summary>Lookups not finished yet.</summary>
    public int Remaining => Math.Max(0, Lookups - Volatile.Read(ref _completed));

    internal AdmissionDecision Decision { get; set; }

    internal TimeSpan RetryAfter { get; set; }

    /// <summary>One lookup has finished (from the cache or the external API).</summary>
    public void CompleteOne() => Interlocked.Increment(ref _completed);

    /// <summary>Admits the plan on its first upstream lookup, or throws if it is (or was) refused.</summary>
    /// <exception cref="ServiceBusyException">The request cannot finish within its deadline.</exception>
    public void EnsureAdmitted() => _admission.EnsureAdmitted(this);

    /// <summary>The request is over: its remaining work no longer counts.</summary>
    public void Dispose()
    {
        if (Deadline.Plan == this)
        {
            Deadline.Plan = null;
        }

        _admission.Forget(this);
    }
}
