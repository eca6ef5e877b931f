using EventManagement.Application.Abstractions;

namespace EventManagement.Application.Users;

/// <summary>
/// Reads users from the external events API, always fresh. Concurrent identical reads share one upstream call that
/// starts after all of them arrived: that is a decorator of the port (Infrastructure), not this service's concern.
/// </summary>
public sealed class UsersService(IExternalEventsApi externalApi)
{
    /// <summary>All users, read fresh from the external API.</summary>
    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        externalApi.GetUsersAsync(cancellationToken);

    /// <summary>The user, read fresh from the external API, or <c>null</c> when it does not know the id.</summary>
    public Task<UserDto?> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        externalApi.GetUserByIdAsync(userId, cancellationToken);
}
