using System.Globalization;
using System.Text.RegularExpressions;

namespace EventManagement.Tests.Builders;

/// <summary>Reads the Prometheus text format of a /metrics answer: its metric names and the values of its series.</summary>
internal static partial class PrometheusScrape
{
    /// <summary>Every metric name that has at least one sample (comments and HELP/TYPE lines aside).</summary>
    public static IReadOnlySet<string> MetricNames(string exposition) =>
        SampleLine().Matches(exposition).Select(static sample => sample.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels include every one given, or null.</summary>
    public static double? Value(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        foreach (Match sample in SampleLine().Matches(exposition))
        {
            var found = sample.Groups["labels"].Value;
            if (sample.Groups["name"].Value == metric
                && labels.All(label => found.Contains($"{label.Name}=\"{label.Value}\"", StringComparison.Ordinal)))
            {
                return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    // Label values may hold braces (http_route="getEventsByUserId/{id}"): a quoted value is read as a whole.
    /// <summary>True when some sample of <paramref name="metric"/> carries the label <paramref name="label"/>.</summary>
    public static bool HasLabel(string exposition, string metric, string label) =>
        SampleLine().Matches(exposition).Any(sample =>
            sample.Groups["name"].Value == metric && LabelName().Matches(sample.Groups["labels"].Value).Any(name => name.Groups["label"].Value == label));

    [GeneratedRegex(@"(?:^|,)(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?:[^""\\]|\\.)*""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>(?:[^""}]|""(?:[^""\\]|\\.)*"")*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
