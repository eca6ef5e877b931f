using EventManagement.Application.Events;
using EventManagement.Application.Users;

namespace EventManagement.Application.Abstractions;

/// <summary>
/// The port to the external events API. Infrastructure implements it over a Refit client with Polly retries.
/// </summary>
/// <remarks>
/// Every method either returns the external API's answer (a 404 is an answer: <c>null</c> or
/// <see cref="AddEventResult.UserNotFound"/>) or throws <see cref="Common.UpstreamException"/> once the retries are spent.
/// A cancelled <see cref="CancellationToken"/> surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IExternalEventsApi
{
    /// <summary>All users.</summary>
    Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken);

    /// <summary>One user, or <c>null</c> when the external API does not know the id.</summary>
    Task<UserDto?> GetUserByIdAsync(string userId, CancellationToken cancellationToken);

    /// <summary>All events.</summary>
    Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken);

    /// <summary>One event, or <c>null</c> when the external API does not know the id.</summary>
    Task<EventDto?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Stores an event. Safe to repeat with the same event id: the external API stores it once.</summary>
    Task<AddEventResult> AddEventAsync(EventDto newEvent, CancellationToken cancellationToken);

    /// <summary>Checks that the external API answers HTTP at all (any status code counts as reachable).</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}
