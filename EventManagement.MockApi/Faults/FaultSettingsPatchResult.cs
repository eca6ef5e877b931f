namespace EventManagement.MockApi.Faults;

/// <summary>The outcome of <see cref="FaultSettingsPatch.Apply"/>.</summary>
/// <param name="Settings">The settings with the patch applied; null when it is refused.</param>
/// <param name="Errors">Why the patch is refused, one message per setting; empty when it is accepted.</param>
/// <param name="ReseedsDice">The patch names RandomSeed: the drop sequence starts again from that seed.</param>
/// <param name="RestartsOverloadCycle">The patch names an Overload… setting: the next valid call is number 0.</param>
internal sealed record FaultSettingsPatchResult(
    FaultSettings? Settings,
    IReadOnlyList<string> Errors,
    bool ReseedsDice,
    bool RestartsOverloadCycle)
{
    /// <summary>A refusal with the given reasons.</summary>
    public static FaultSettingsPatchResult Refused(IReadOnlyList<string> errors) => new(null, errors, false, false);
}
