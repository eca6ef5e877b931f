namespace EventManagement.MockApi.Contracts;

/// <summary>The body of POST /addEvent; all strings, <see cref="Details"/> optional.</summary>
/// <param name="Id">The event's id, chosen by the caller (a retry sends the same id).</param>
/// <param name="Name">The event's name.</param>
/// <param name="UserId">The id of the user who owns the event.</param>
/// <param name="Details">Free text.</param>
internal sealed record AddEventRequest(string? Id, string? Name, string? UserId, string? Details)
{
    /// <summary>Why the request is invalid, or null when id, name and userId are all given.</summary>
    public string? FindError() =>
        string.IsNullOrWhiteSpace(Id) ? "id is required"
        : string.IsNullOrWhiteSpace(Name) ? "name is required"
        : string.IsNullOrWhiteSpace(UserId) ? "userId is required"
        : null;
}
