using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Users;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>
/// Lets concurrent identical reads of users and of the event list share one fresh upstream call (a decorator of the
/// port over <see cref="FreshReadCoalescer{TKey, TValue}"/>): a burst of identical requests does not multiply the
/// load on the external API, and never sees data older than itself. Event details and adds pass through.
/// </summary>
internal sealed class SharedReadsExternalEventsApi : IExternalEventsApi
{
    private const string All = "";

    private readonly IExternalEventsApi _inner;
    private readonly FreshReadCoalescer<string, IReadOnlyList<UserDto>> _allUsers;
    private readonly FreshReadCoalescer<string, UserDto?> _usersById;
    private readonly FreshReadCoalescer<string, IReadOnlyList<EventDto>> _allEvents;

    public SharedReadsExternalEventsApi(IExternalEventsApi inner, EventManagementMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(metrics);
        _inner = inner;
        _allUsers = new((_, token) => inner.GetUsersAsync(token), () => metrics.RecordSharedRead("getUsers"), "shared read getUsers");
        _usersById = new(inner.GetUserByIdAsync, () => metrics.RecordSharedRead("getUserById"), "shared read getUserById");
        _allEvents = new((_, token) => inner.GetEventsAsync(token), () => metrics.RecordSharedRead("getEvents"), "shared read getEvents");
    }

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        _allUsers.ReadAsync(All, cancellationToken);

    public Task<UserDto?> GetUserByIdAsync(string userId, CancellationToken cancellationToken) =>
        _usersById.ReadAsync(userId, cancellationToken);

    public Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken) =>
        _allEvents.ReadAsync(All, cancellationToken);

    public Task<EventDto?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken) =>
        _inner.GetEventByIdAsync(eventId, cancellationToken);

    public Task<AddEventResult> AddEventAsync(EventDto newEvent, CancellationToken cancellationToken) =>
        _inner.AddEventAsync(newEvent, cancellationToken);

    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        _inner.CheckReachableAsync(cancellationToken);
}
