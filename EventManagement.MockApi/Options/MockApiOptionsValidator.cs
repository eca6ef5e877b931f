using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using Microsoft.Extensions.Options;

namespace EventManagement.MockApi.Options;

/// <summary>Checks <see cref="MockApiOptions"/> at start, with messages that name the setting.</summary>
internal sealed class MockApiOptionsValidator : IValidateOptions<MockApiOptions>
{
    private const string Prefix = MockApiOptions.SectionName + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MockApiOptions options)
    {
        var failures = FaultSettingsRules.Validate(options.ToFaultSettings(), Prefix).ToList();
        failures.AddRange(ValidateDataDirectory(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> ValidateDataDirectory(MockApiOptions options)
    {
        const string Setting = Prefix + nameof(MockApiOptions.DataDirectory);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            yield return $"{Setting} must not be empty";
            yield break;
        }

        var directory = options.ResolveDataDirectory();
        foreach (var file in new[] { SeedDataReader.UsersFileName, SeedDataReader.EventsFileName })
        {
            if (!File.Exists(Path.Combine(directory, file)))
            {
                yield return $"{Setting} must be a folder holding {file}; not found in {directory}";
            }
        }
    }
}
