using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>
/// A call cut off by its request's deadline is a timeout of the external API (504, counted by the breaker), not a
/// caller that went away: the one place that turns that cancellation into an <see cref="UpstreamException"/>.
/// </summary>
internal static class DeadlineExceeded
{
    /// <summary>True when <paramref name="cancellationToken"/> was cancelled because the current request's deadline passed.</summary>
    public static bool Explains(CancellationToken cancellationToken) =>
        RequestDeadline.Current is { HasExpired: true } && cancellationToken.IsCancellationRequested;

    public static UpstreamException AsTimeout(OperationCanceledException exception)
    {
        var timeout = RequestDeadline.Current?.Timeout.TotalSeconds;
        EventManagementActivities.Decision("deadline.exceeded", new KeyValuePair<string, object?>("deadline_s", timeout));
        return new(
            UpstreamFailureKind.TimedOut,
            $"The request's deadline of {timeout:0.#} s passed before the external events API answered.",
            exception);
    }
}
