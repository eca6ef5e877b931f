using EventManagement.Application.Abstractions;
using EventManagement.Application.Events;

namespace EventManagement.Application.Idempotency;

/// <summary>The final answer to the first request with a key, replayed to every repeat.</summary>
/// <param name="Fingerprint">The fingerprint of the request that got this answer.</param>
/// <param name="Result">What the external API answered (the event added, or its user unknown).</param>
/// <param name="Event">The event as sent, with its id.</param>
public sealed record IdempotencyRecord(string Fingerprint, AddEventResult Result, EventDto Event);
