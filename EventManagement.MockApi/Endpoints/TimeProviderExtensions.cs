namespace EventManagement.MockApi.Endpoints;

/// <summary>Asynchronous waits on an injected clock.</summary>
internal static class TimeProviderExtensions
{
    /// <summary>Waits <paramref name="delay"/> without holding a thread; returns at once for zero.</summary>
    /// <remarks>Thousands of requests may wait at the same time, so this must never block.</remarks>
    public static Task DelayAsync(this TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, timeProvider, cancellationToken) : Task.CompletedTask;
}
