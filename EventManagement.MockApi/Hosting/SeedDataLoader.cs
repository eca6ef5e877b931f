using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Options;
using Microsoft.Extensions.Options;

namespace EventManagement.MockApi.Hosting;

/// <summary>Loads the seed data when the host starts, so that a broken file stops the program at once.</summary>
/// <remarks>
/// Hosted services start before the server accepts requests, so no request ever sees an empty store.
/// Options are validated (ValidateOnStart) before this runs.
/// </remarks>
internal sealed partial class SeedDataLoader(
    MockApiResetter resetter,
    IOptions<MockApiOptions> options,
    ILogger<SeedDataLoader> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await resetter.ResetAsync(cancellationToken);
        var dataDirectory = options.Value.ResolveDataDirectory();
        var faultSettings = options.Value.ToFaultSettings();
        LogLoaded(dataDirectory, faultSettings);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed data loaded from {DataDirectory}; {FaultSettings}")]
    private partial void LogLoaded(string dataDirectory, FaultSettings faultSettings);
}
