using EventManagement.Application.Abstractions;
using EventManagement.Application.Overload;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventManagement.Application.Events;

/// <summary>
/// Event details by id, cached: events do not change once created. Concurrent requests for the same id share one
/// upstream call (HybridCache's stampede protection). An id the external API does not know is not cached, so an
/// event that appears later is found.
/// </summary>
public sealed class EventCache(
    IExternalEventsApi externalApi,
    HybridCache cache,
    IOptions<EventFetchOptions> options,
    ILogger<EventCache> logger)
{
    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = options.Value.CacheDuration,
        LocalCacheExpiration = options.Value.CacheDuration,
    };

    private readonly bool _enabled = options.Value.CacheDuration > TimeSpan.Zero;

    /// <summary>The event, or <c>null</c> when the external API answers 404 for it.</summary>
    public async Task<EventDto?> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return await externalApi.GetEventByIdAsync(eventId, cancellationToken);
        }

        try
        {
            return await cache.GetOrCreateAsync(
                "event:" + eventId,
                (externalApi, eventId, request: RequestDeadline.Current),
                static async (state, token) =>
                {
                    // HybridCache runs the factory outside the caller's async context: carry the request over, so that
                    // the call budget sees whose lookup this is (fairness, admission, deadline).
                    RequestDeadline.Current = state.request;
                    return await state.externalApi.GetEventByIdAsync(state.eventId, token)
                        ?? throw new UpstreamEventMissingException(state.eventId);
                },
                _entryOptions,
                cancellationToken: cancellationToken);
        }
        catch (UpstreamEventMissingException)
        {
            // Thrown rather than returned so that HybridCache does not remember the miss.
            logger.LogWarning("Event {EventId} is on a user's list but the external API does not know it", eventId);
            return null;
        }
    }
}
