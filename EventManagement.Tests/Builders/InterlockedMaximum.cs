namespace EventManagement.Tests.Builders;

/// <summary>A peak counter that concurrent callbacks can raise without a lock (for "never more than N at once").</summary>
internal static class InterlockedMaximum
{
    /// <summary>Sets <paramref name="maximum"/> to <paramref name="value"/> when that is larger, atomically.</summary>
    public static void RaiseToAtLeast(ref int maximum, int value)
    {
        var current = Volatile.Read(ref maximum);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref maximum, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
