namespace EventManagement.MockApi.Data;

/// <summary>What <see cref="MockDataStore.TryAdd"/> did with an event.</summary>
internal enum AddEventOutcome
{
    /// <summary>The event was stored and its id appended to the user's list.</summary>
    Added,

    /// <summary>An event with that id was already stored; nothing changed (this makes retries safe).</summary>
    AlreadyStored,

    /// <summary>The event's user does not exist; nothing changed.</summary>
    UnknownUser,
}
