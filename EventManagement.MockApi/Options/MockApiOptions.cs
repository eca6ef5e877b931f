using EventManagement.MockApi.Faults;

namespace EventManagement.MockApi.Options;

/// <summary>Settings of the MockApi (section <c>MockApi</c>; environment variables <c>MockApi__EventDelay</c> etc.).</summary>
/// <remarks>Everything but <see cref="DataDirectory"/> is a fault setting that PUT /__admin/faults can change at run time.</remarks>
internal sealed class MockApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "MockApi";

    /// <summary>How long GET /getEventById waits before it answers.</summary>
    public TimeSpan EventDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Probability (0 to 1) that GET /getUsers or GET /getEvents drops the connection without an answer.</summary>
    public double RandomFailureRate { get; set; } = 0.05;

    /// <summary>Seed for the random drops; null for an unseeded, unrepeatable sequence.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>Whether POST /addEvent fails in cycles to simulate overload.</summary>
    public bool OverloadEnabled { get; set; } = true;

    /// <summary>Valid POST /addEvent calls per overload cycle.</summary>
    public int OverloadCycleLength { get; set; } = 15;

    /// <summary>How many calls at the start of each cycle succeed; the rest get 503.</summary>
    public int OverloadSuccessesPerCycle { get; set; } = 5;

    /// <summary>How long an overloaded POST /addEvent waits before it answers 503.</summary>
    public TimeSpan OverloadFailureDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Extra wait before every valid POST /addEvent, to simulate a hanging upstream.</summary>
    public TimeSpan AddEventDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Probability (0 to 1) that GET /getEventById answers 503 at once, as an overloaded API does.</summary>
    public double EventFailureRate { get; set; }

    /// <summary>Folder holding users.json and events.json; relative paths start at the app's base directory.</summary>
    public string DataDirectory { get; set; } = "mocks";

    /// <summary>The absolute path of <see cref="DataDirectory"/>.</summary>
    public string ResolveDataDirectory() =>
        Path.GetFullPath(DataDirectory, AppContext.BaseDirectory);

    /// <summary>The fault settings the program starts with and returns to on reset.</summary>
    public FaultSettings ToFaultSettings() => new(
        EventDelay,
        RandomFailureRate,
        RandomSeed,
        OverloadEnabled,
        OverloadCycleLength,
        OverloadSuccessesPerCycle,
        OverloadFailureDelay,
        AddEventDelay,
        EventFailureRate);
}
