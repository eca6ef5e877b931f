namespace EventManagement.Application.Abstractions;

/// <summary>What the external API answered to an add-event call that it did not fail.</summary>
public enum AddEventResult
{
    /// <summary>The event is stored (or was already stored under the same id).</summary>
    Added,

    /// <summary>The external API does not know the event's user.</summary>
    UserNotFound,
}
