using System.Globalization;
using System.Text.Json;

namespace EventManagement.MockApi.Faults;

/// <summary>Applies the JSON body of PUT /__admin/faults to the current fault settings.</summary>
/// <remarks>
/// Parsed by hand rather than bound to a type with nullable properties, so that a left-out name (keep the value)
/// differs from an explicit <c>"RandomSeed": null</c> (go unseeded), and so that a typo is reported instead of ignored.
/// Names match case-insensitively; the values have the formats of the settings ("00:00:02", 0.5, false).
/// </remarks>
internal static class FaultSettingsPatch
{
    private delegate FaultSettings? Setter(FaultSettings settings, JsonElement value);

    private static readonly Dictionary<string, (string Name, string Format, Setter Set)> Table = new[]
    {
        (nameof(FaultSettings.EventDelay), "a time span like \"00:00:02\"",
            (Setter)((s, v) => Delay(v) is { } d ? s with { EventDelay = d } : null)),
        (nameof(FaultSettings.RandomFailureRate), "a number between 0 and 1",
            (s, v) => v.ValueKind == JsonValueKind.Number ? s with { RandomFailureRate = v.GetDouble() } : null),
        (nameof(FaultSettings.RandomSeed), "a whole number or null",
            (s, v) => v.ValueKind == JsonValueKind.Null ? s with { RandomSeed = null }
                : Int(v) is { } seed ? s with { RandomSeed = seed } : null),
        (nameof(FaultSettings.OverloadEnabled), "true or false",
            (s, v) => v.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? s with { OverloadEnabled = v.GetBoolean() } : null),
        (nameof(FaultSettings.OverloadCycleLength), "a whole number",
            (s, v) => Int(v) is { } n ? s with { OverloadCycleLength = n } : null),
        (nameof(FaultSettings.OverloadSuccessesPerCycle), "a whole number",
            (s, v) => Int(v) is { } n ? s with { OverloadSuccessesPerCycle = n } : null),
        (nameof(FaultSettings.OverloadFailureDelay), "a time span like \"00:00:00.1\"",
            (s, v) => Delay(v) is { } d ? s with { OverloadFailureDelay = d } : null),
        (nameof(FaultSettings.AddEventDelay), "a time span like \"00:00:05\"",
            (s, v) => Delay(v) is { } d ? s with { AddEventDelay = d } : null),
        (nameof(FaultSettings.EventFailureRate), "a number between 0 and 1",
            (s, v) => v.ValueKind == JsonValueKind.Number ? s with { EventFailureRate = v.GetDouble() } : null),
    }.ToDictionary(entry => entry.Item1, StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings with the body's values applied, or the reasons the body is refused.</summary>
    public static FaultSettingsPatchResult Apply(FaultSettings current, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return FaultSettingsPatchResult.Refused(["The body must be a JSON object of fault settings"]);
        }

        var errors = new List<string>();
        var settings = current;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!Table.TryGetValue(property.Name, out var entry))
            {
                errors.Add($"{property.Name} is not a fault setting (known: {string.Join(", ", Table.Keys)})");
                continue;
            }

            names.Add(entry.Name);
            if (entry.Set(settings, property.Value) is { } updated)
            {
                settings = updated;
            }
            else
            {
                errors.Add($"{entry.Name} must be {entry.Format}");
            }
        }

        errors.AddRange(FaultSettingsRules.Validate(settings, prefix: string.Empty));
        if (errors.Count > 0)
        {
            return FaultSettingsPatchResult.Refused(errors);
        }

        return new FaultSettingsPatchResult(
            settings,
            [],
            ReseedsDice: names.Contains(nameof(FaultSettings.RandomSeed)),
            RestartsOverloadCycle: names.Any(name => name.StartsWith("Overload", StringComparison.Ordinal)));
    }

    private static TimeSpan? Delay(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var delay)
            ? delay
            : null;

    private static int? Int(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
