namespace EventManagement.Application.Common;

/// <summary>A resource the client named does not exist.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string resource, string id)
        : base($"{resource} '{id}' was not found.")
    {
        Resource = resource;
        Id = id;
    }

    /// <summary>The kind of thing that was not found, for example <c>User</c>.</summary>
    public string Resource { get; }

    /// <summary>The id the client sent.</summary>
    public string Id { get; }
}
