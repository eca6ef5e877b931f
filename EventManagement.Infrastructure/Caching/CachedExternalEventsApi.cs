using System.Diagnostics;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Overload;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventManagement.Infrastructure.Caching;

/// <summary>
/// Caches event details in front of the external API (a decorator of the port): events do not change once created.
/// Concurrent requests for the same id share one upstream call (HybridCache's stampede protection). An id the
/// external API does not know is not cached, so an event that appears later is found. Users and the lists are not
/// cached: they change, and the contract says they are read fresh.
/// </summary>
/// <remarks>
/// HybridCache keeps the events in this process's memory and, when <c>Cache:Redis</c> is set, in Redis too, so a
/// replica answers warm what another one fetched. HybridCache carries on without Redis when Redis fails.
/// </remarks>
internal sealed class CachedExternalEventsApi(
    IExternalEventsApi inner,
    HybridCache cache,
    IOptions<EventFetchOptions> options,
    ILogger<CachedExternalEventsApi> logger) : IExternalEventsApi
{
    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = options.Value.CacheDuration,
        LocalCacheExpiration = options.Value.CacheDuration,
    };

    private readonly bool _enabled = options.Value.CacheDuration > TimeSpan.Zero;

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        inner.GetUsersAsync(cancellationToken);

    public Task<UserDto?> GetUserByIdAsync(string userId, CancellationToken cancellationToken) =>
        inner.GetUserByIdAsync(userId, cancellationToken);

    public Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken) =>
        inner.GetEventsAsync(cancellationToken);

    public Task<AddEventResult> AddEventAsync(EventDto newEvent, CancellationToken cancellationToken) =>
        inner.AddEventAsync(newEvent, cancellationToken);

    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        inner.CheckReachableAsync(cancellationToken);

    /// <summary>The event, or <c>null</c> when the external API answers 404 for it.</summary>
    public async Task<EventDto?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return await inner.GetEventByIdAsync(eventId, cancellationToken);
        }

        // With tracing on, a span per lookup tagged cache.hit; with it off, no span and the request's Activity is the parent.
        using var lookup = EventManagementActivities.Start("event lookup");
        try
        {
            var found = await cache.GetOrCreateAsync(
                "event:" + eventId,
                (inner, eventId, request: RequestDeadline.Current, parent: lookup ?? Activity.Current, lookup),
                static async (state, token) =>
                {
                    // HybridCache runs the factory outside the caller's async context: carry the request over, so that
                    // the call budget sees whose lookup this is (fairness, admission, deadline), and its trace, so that
                    // the upstream call is a span of that trace and sends its traceparent (with or without an exporter).
                    RequestDeadline.Current = state.request;
                    Activity.Current = state.parent;
                    state.lookup?.SetTag("cache.hit", false);
                    // HybridCache cancels its factory only once every waiting caller has left, and not at once: the
                    // lookup ends with the deadline of the request that started it, so none outlives that deadline.
                    using var bounded = state.request is null
                        ? null
                        : CancellationTokenSource.CreateLinkedTokenSource(token, state.request.Token);
                    return await state.inner.GetEventByIdAsync(state.eventId, bounded?.Token ?? token)
                        ?? throw new UpstreamEventMissingException(state.eventId);
                },
                _entryOptions,
                cancellationToken: cancellationToken);
            if (lookup is not null && lookup.GetTagItem("cache.hit") is null)
            {
                // Answered from the cache, or by a lookup that another request started (HybridCache shares it).
                lookup.SetTag("cache.hit", true);
            }

            return found;
        }
        catch (OperationCanceledException exception) when (DeadlineExceeded.Explains(cancellationToken))
        {
            // HybridCache ends a caller's wait with its own cancellation, not the factory's timeout.
            throw DeadlineExceeded.AsTimeout(exception);
        }
        catch (UpstreamEventMissingException)
        {
            // Thrown rather than returned so that HybridCache does not remember the miss.
            logger.LogWarning("Event {EventId} is on a user's list but the external API does not know it", eventId);
            lookup?.SetTag("event.found", false);
            return null;
        }
    }
}
