namespace EventManagement.Infrastructure.Caching;

/// <summary>The external API answered 404 for an event id; used inside <see cref="CachedExternalEventsApi"/> only.</summary>
internal sealed class UpstreamEventMissingException : Exception
{
    public UpstreamEventMissingException(string eventId)
        : base($"The external API does not know event '{eventId}'.")
    {
    }
}
