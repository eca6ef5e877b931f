using EventManagement.Application.Abstractions;

namespace EventManagement.Application.Users;

/// <summary>Reads users from the external events API.</summary>
public sealed class UsersService(IExternalEventsApi externalApi)
{
    /// <summary>All users, read fresh from the external API.</summary>
    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        externalApi.GetUsersAsync(cancellationToken);
}
