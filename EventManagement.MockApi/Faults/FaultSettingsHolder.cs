using System.Text.Json;

namespace EventManagement.MockApi.Faults;

/// <summary>Holds the fault settings in force and the dice for the connection drops.</summary>
/// <remarks>
/// Settings and dice live in one immutable pair that is swapped as a whole, so readers need no lock and never see
/// a new seed with the old rate. Writers (PUT /__admin/faults, reset) take a lock so that two concurrent patches
/// do not lose each other's changes; nothing is awaited under it.
/// </remarks>
internal sealed class FaultSettingsHolder
{
    private readonly Lock _writeLock = new();
    private State _state;

    /// <summary>Starts with the given settings.</summary>
    public FaultSettingsHolder(FaultSettings initial) => _state = new State(initial, new FailureDice(initial.RandomSeed));

    /// <summary>The settings in force.</summary>
    public FaultSettings Current => Volatile.Read(ref _state).Settings;

    /// <summary>Decides whether this call is dropped, with the current rate and dice.</summary>
    public bool RollDrop()
    {
        var state = Volatile.Read(ref _state);
        return state.Dice.Roll(state.Settings.RandomFailureRate);
    }

    /// <summary>Replaces everything, with fresh dice (used by reset).</summary>
    public void Reset(FaultSettings settings)
    {
        lock (_writeLock)
        {
            Volatile.Write(ref _state, new State(settings, new FailureDice(settings.RandomSeed)));
        }
    }

    /// <summary>Applies a PUT /__admin/faults body; when it is refused nothing changes.</summary>
    public FaultSettingsPatchResult Apply(JsonElement body)
    {
        lock (_writeLock)
        {
            var state = _state;
            var result = FaultSettingsPatch.Apply(state.Settings, body);
            if (result.Settings is { } settings)
            {
                var dice = result.ReseedsDice ? new FailureDice(settings.RandomSeed) : state.Dice;
                Volatile.Write(ref _state, new State(settings, dice));
            }

            return result;
        }
    }

    private sealed record State(FaultSettings Settings, FailureDice Dice);
}
