namespace EventManagement.MockApi.Faults;

/// <summary>The rules for fault settings, shared by the start-up check and PUT /__admin/faults.</summary>
internal static class FaultSettingsRules
{
    /// <summary>The longest delay accepted; Task.Delay refuses much more, and a day is hanging enough.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>One message per broken rule, each starting with <paramref name="prefix"/> and the setting's name.</summary>
    public static IEnumerable<string> Validate(FaultSettings settings, string prefix)
    {
        foreach (var (name, delay) in new[]
        {
            (nameof(FaultSettings.EventDelay), settings.EventDelay),
            (nameof(FaultSettings.OverloadFailureDelay), settings.OverloadFailureDelay),
            (nameof(FaultSettings.AddEventDelay), settings.AddEventDelay),
        })
        {
            if (delay < TimeSpan.Zero)
            {
                yield return $"{prefix}{name} must not be negative";
            }
            else if (delay > MaxDelay)
            {
                yield return $"{prefix}{name} must be at most {MaxDelay:c}";
            }
        }

        // Written so that NaN fails too.
        if (!(settings.RandomFailureRate is >= 0 and <= 1))
        {
            yield return $"{prefix}{nameof(FaultSettings.RandomFailureRate)} must be between 0 and 1";
        }

        if (!(settings.EventFailureRate is >= 0 and <= 1))
        {
            yield return $"{prefix}{nameof(FaultSettings.EventFailureRate)} must be between 0 and 1";
        }

        if (settings.OverloadCycleLength < 1)
        {
            yield return $"{prefix}{nameof(FaultSettings.OverloadCycleLength)} must be at least 1";
        }

        if (settings.OverloadSuccessesPerCycle < 0 || settings.OverloadSuccessesPerCycle > settings.OverloadCycleLength)
        {
            yield return $"{prefix}{nameof(FaultSettings.OverloadSuccessesPerCycle)} must be between 0 and "
                + $"{prefix}{nameof(FaultSettings.OverloadCycleLength)} ({settings.OverloadCycleLength})";
        }
    }
}
