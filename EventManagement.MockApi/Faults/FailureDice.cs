namespace EventManagement.MockApi.Faults;

/// <summary>The random numbers behind the deliberate connection drops.</summary>
/// <remarks>
/// Seeded, the sequence repeats after a reset, which makes a flaky-looking test reproducible. A seeded
/// <see cref="Random"/> is not thread-safe, so it is drawn under a lock (never held across an await);
/// unseeded dice use <see cref="Random.Shared"/>, which is thread-safe and has no lock to contend on.
/// </remarks>
internal sealed class FailureDice(int? seed)
{
    private readonly Lock _lock = new();
    private readonly Random? _seeded = seed is { } value ? new Random(value) : null;

    /// <summary>True with probability <paramref name="rate"/>; every call draws one number.</summary>
    public bool Roll(double rate)
    {
        if (_seeded is null)
        {
            return Random.Shared.NextDouble() < rate;
        }

        lock (_lock)
        {
            return _seeded.NextDouble() < rate;
        }
    }
}
