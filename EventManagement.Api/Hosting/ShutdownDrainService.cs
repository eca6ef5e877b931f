using Microsoft.Extensions.Options;

namespace EventManagement.Api.Hosting;

/// <summary>
/// Holds the server open for <see cref="ShutdownOptions.DrainDelay"/> after the stop signal. Stopping starts the
/// moment the signal arrives (so /readyz already answers 503); this delay runs before Kestrel stops accepting,
/// after which Kestrel lets the requests in flight finish.
/// </summary>
public sealed class ShutdownDrainService(IOptions<ShutdownOptions> options, TimeProvider timeProvider, ILogger<ShutdownDrainService> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.DrainDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        logger.LogInformation("Shutting down: /readyz answers 503; draining for {DrainDelay}", delay);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out first: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
