namespace EventManagement.Application.Events;

/// <summary>A validated request to add an event for a user.</summary>
/// <param name="Name">The event's name, already trimmed.</param>
/// <param name="UserId">The id of the user who owns the event.</param>
/// <param name="Details">Optional free text.</param>
/// <param name="IdempotencyKey">
/// The client's <c>Idempotency-Key</c>, if it sent one: a repeat with the same key gets the same event id,
/// so it cannot create a second event.
/// </param>
public sealed record AddEventCommand(string Name, string UserId, string? Details, string? IdempotencyKey);
