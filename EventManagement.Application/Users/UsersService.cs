using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;

namespace EventManagement.Application.Users;

/// <summary>
/// Reads users from the external events API, always fresh. Concurrent reads of the same thing share one upstream
/// call that starts after all of them arrived (<see cref="FreshReadCoalescer{TKey, TValue}"/>), so a burst of
/// identical requests does not multiply the load on the external API and never sees data older than itself.
/// </summary>
public sealed class UsersService
{
    private const string AllUsers = "";

    private readonly FreshReadCoalescer<string, IReadOnlyList<UserDto>> _allUsers;
    private readonly FreshReadCoalescer<string, UserDto?> _usersById;

    public UsersService(IExternalEventsApi externalApi, EventManagementMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(externalApi);
        ArgumentNullException.ThrowIfNull(metrics);
        _allUsers = new((_, token) => externalApi.GetUsersAsync(token), () => metrics.RecordSharedRead("getUsers"));
        _usersById = new(externalApi.GetUserByIdAsync, () => metrics.RecordSharedRead("getUserById"));
    }

    /// <summary>All users, read fresh from the external API.</summary>
    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        _allUsers.ReadAsync(AllUsers, cancellationToken);

    /// <summary>The user, read fresh from the external API, or <c>null</c> when it does not know the id.</summary>
    public Task<UserDto?> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        _usersById.ReadAsync(userId, cancellationToken);
}
