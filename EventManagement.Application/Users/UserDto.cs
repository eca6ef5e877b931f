namespace EventManagement.Application.Users;

/// <summary>A user of the external events API, with the ids of the events they own in the order they were added.</summary>
/// <param name="Id">The user's id, for example <c>1</c>.</param>
/// <param name="UserName">The user's login name, for example <c>user1</c>.</param>
/// <param name="Email">The user's e-mail address.</param>
/// <param name="Events">The ids of the user's events, oldest first.</param>
public sealed record UserDto(string Id, string UserName, string Email, IReadOnlyList<string> Events);
