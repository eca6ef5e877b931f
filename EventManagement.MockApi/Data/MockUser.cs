namespace EventManagement.MockApi.Data;

/// <summary>A user as the external API returns it.</summary>
/// <param name="Id">The user's id, e.g. "1".</param>
/// <param name="UserName">The user's name, e.g. "user1".</param>
/// <param name="Email">The user's e-mail address.</param>
/// <param name="Events">The ids of the user's events, in the order they were added.</param>
/// <remarks>
/// Treated as immutable: the store replaces a user with a copy when an event is added,
/// so a user handed out to a request never changes under it.
/// </remarks>
internal sealed record MockUser(string Id, string UserName, string Email, IReadOnlyList<string> Events);
