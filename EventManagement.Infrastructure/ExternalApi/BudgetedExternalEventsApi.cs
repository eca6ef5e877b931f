using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Overload;
using EventManagement.Application.Users;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>
/// The call budget in front of the external API: every call first takes a slot of the process-wide
/// <see cref="FairConcurrencyLimiter"/> (<c>ExternalApi:MaxConcurrentCalls</c>), then runs through the gateway,
/// whose Polly pipeline (total timeout, retries, attempt timeout) starts only then: waiting for a slot counts
/// against the request's deadline alone, so queueing never causes a timeout, a retry or a duplicate lookup.
/// A call keeps its slot through its retries, so retries are calls in flight too.
/// </summary>
/// <remarks>
/// Event lookups also pass admission (<see cref="LookupPlan.EnsureAdmitted"/>) before they take a slot. A call cut
/// off by its request's deadline is a timeout of the external API (<see cref="UpstreamFailureKind.TimedOut"/>),
/// not a caller that went away. The readiness probe's check bypasses the budget: it must never wait behind a burst.
/// </remarks>
internal sealed class BudgetedExternalEventsApi(
    IExternalEventsApi inner,
    FairConcurrencyLimiter budget,
    AdmissionController admission,
    OverloadMetrics metrics,
    TimeProvider timeProvider) : IExternalEventsApi
{
    // The flow of calls made outside any request (background work, tests): they share one turn.
    private static readonly object NoRequest = new();

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        CallAsync(inner.GetUsersAsync, cancellationToken);

    public Task<UserDto?> GetUserByIdAsync(string userId, CancellationToken cancellationToken) =>
        CallAsync(token => inner.GetUserByIdAsync(userId, token), cancellationToken);

    public Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken) =>
        CallAsync(inner.GetEventsAsync, cancellationToken);

    public Task<EventDto?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken)
    {
        RequestDeadline.Current?.Plan?.EnsureAdmitted();
        return CallAsync(
            async token =>
            {
                var started = timeProvider.GetTimestamp();
                var found = await inner.GetEventByIdAsync(eventId, token);
                admission.ObserveLookup(timeProvider.GetElapsedTime(started));
                return found;
            },
            cancellationToken);
    }

    public Task<AddEventResult> AddEventAsync(EventDto newEvent, CancellationToken cancellationToken) =>
        CallAsync(token => inner.AddEventAsync(newEvent, token), cancellationToken);

    public Task CheckReachableAsync(CancellationToken cancellationToken) => inner.CheckReachableAsync(cancellationToken);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var request = RequestDeadline.Current;
        try
        {
            using var slot = await budget.AcquireAsync(request ?? NoRequest, cancellationToken);
            return await call(cancellationToken);
        }
        catch (OperationCanceledException exception) when (DeadlineExceeded.Explains(cancellationToken))
        {
            throw DeadlineExceeded.AsTimeout(exception);
        }
        catch (ServiceBusyException)
        {
            metrics.RecordRefusal("queue_full");
            EventManagementActivities.Decision("call_budget.refused");
            throw;
        }
    }
}
