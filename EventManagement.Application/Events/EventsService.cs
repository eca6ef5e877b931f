using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using EventManagement.Application.Users;
using Microsoft.Extensions.Options;

namespace EventManagement.Application.Events;

/// <summary>
/// Reads and adds events through the external events API. Caching event details and sharing identical reads are
/// decorators of the port (Infrastructure), so this service is only about the use cases.
/// </summary>
public sealed class EventsService(
    IExternalEventsApi externalApi,
    UsersService users,
    CircuitBreaker circuitBreaker,
    AdmissionController admission,
    IdempotencyGuard idempotency,
    IOptions<EventFetchOptions> options)
{
    private readonly int _maxConcurrency = options.Value.MaxConcurrency;

    /// <summary>All events, read fresh from the external API.</summary>
    public Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken) =>
        externalApi.GetEventsAsync(cancellationToken);

    /// <summary>
    /// The user's events in the order of the user's list. The list is read fresh; the events are fetched
    /// concurrently (at most <see cref="EventFetchOptions.MaxConcurrency"/> at once) and through the port's cache.
    /// Ids the external API does not know are left out; any other failure fails the whole request.
    /// The lookups are declared to admission first: if they cannot be done within the request's deadline, the
    /// first one that reaches the external API refuses them all, before any is sent.
    /// </summary>
    /// <exception cref="NotFoundException">The user does not exist.</exception>
    /// <exception cref="ServiceBusyException">The lookups cannot be done within the request's deadline.</exception>
    public async Task<IReadOnlyList<EventDto>> GetEventsByUserIdAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(userId, cancellationToken)
            ?? throw new NotFoundException("User", userId);

        var eventIds = user.Events;
        var events = new EventDto?[eventIds.Count];
        using var plan = admission.Plan(eventIds.Count);

        // Cached events answer at once: take them in order on this thread, scheduling nothing, until the first
        // lookup that has to wait. Only from there on are the lookups fanned out, that one included, so a request
        // whose events are all cached costs no thread-pool work and no parallel loop.
        var first = 0;
        Task<EventDto?>? waiting = null;
        for (; first < eventIds.Count; first++)
        {
            var lookup = externalApi.GetEventByIdAsync(eventIds[first], cancellationToken);
            if (!lookup.IsCompletedSuccessfully)
            {
                waiting = lookup;
                break;
            }

            events[first] = lookup.Result;
            plan?.CompleteOne();
        }

        if (waiting is not null)
        {
            // The loop takes the indexes in order, so the lookup already in flight holds one of the
            // MaxConcurrency slots from the start and is never started twice.
            await Parallel.ForEachAsync(
                Enumerable.Range(first, eventIds.Count - first),
                new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    events[index] = await (index == first ? waiting : externalApi.GetEventByIdAsync(eventIds[index], token));
                    plan?.CompleteOne();
                });
        }

        // An id the external API does not know is left out; usually there is none, and the array is the answer
        // (nullable annotations aside, it is the same array type).
        return Array.IndexOf(events, null) < 0 ? (EventDto[])(object)events : events.OfType<EventDto>().ToArray();
    }

    /// <summary>
    /// Adds an event through the circuit breaker (which wraps the retries: one call that spent its retries is one
    /// failure). Every attempt sends the same id, so a retry after a lost response cannot create a duplicate. With an
    /// Idempotency-Key the <see cref="IdempotencyGuard"/> decides whether to add at all or to answer from its record.
    /// </summary>
    /// <exception cref="NotFoundException">The user does not exist.</exception>
    /// <exception cref="CircuitOpenException">The breaker is open; the external API was not called.</exception>
    /// <exception cref="UpstreamException">The external API kept failing through the retries.</exception>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with another request.</exception>
    /// <exception cref="IdempotencyKeyInFlightException">The first request with the key is still in flight.</exception>
    public async Task<EventDto> AddEventAsync(AddEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.IdempotencyKey is not null)
        {
            return await idempotency.AddOnceAsync(command, AddThroughBreakerAsync, cancellationToken);
        }

        var newEvent = new EventDto(EventIds.New(), command.Name, command.UserId, command.Details);
        return await AddThroughBreakerAsync(newEvent, cancellationToken) == AddEventResult.UserNotFound
            ? throw new NotFoundException("User", command.UserId)
            : newEvent;
    }

    private Task<AddEventResult> AddThroughBreakerAsync(EventDto newEvent, CancellationToken cancellationToken) =>
        circuitBreaker.ExecuteAsync(
            token => externalApi.AddEventAsync(newEvent, token),
            static exception => exception is UpstreamException,
            cancellationToken);
}
