namespace EventManagement.MockApi.Faults;

/// <summary>Numbers the valid POST /addEvent calls and decides which of them fail with 503.</summary>
/// <remarks>
/// Calls are numbered 0, 1, 2, … with <see cref="Interlocked"/>, so concurrent calls never share a number.
/// Call n fails when n % <see cref="FaultSettings.OverloadCycleLength"/> is at least
/// <see cref="FaultSettings.OverloadSuccessesPerCycle"/>. While overload is off, calls are not numbered,
/// so turning it back on starts where the cycle stood.
/// </remarks>
internal sealed class OverloadCycle
{
    private long _nextCall;

    /// <summary>Takes the next number and says whether that call must fail.</summary>
    public bool NextCallFails(FaultSettings settings)
    {
        if (!settings.OverloadEnabled)
        {
            return false;
        }

        var call = Interlocked.Increment(ref _nextCall) - 1;
        return call % settings.OverloadCycleLength >= settings.OverloadSuccessesPerCycle;
    }

    /// <summary>Starts a new cycle: the next valid call is number 0.</summary>
    public void Restart() => Interlocked.Exchange(ref _nextCall, 0);
}
