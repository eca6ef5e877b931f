using EventManagement.Application.Abstractions;
using EventManagement.Application.Events;

namespace EventManagement.Infrastructure.Idempotency;

/// <summary>
/// A key's value in Redis, as JSON: a claim (<see cref="Token"/> set) while the first request is in flight, the
/// final answer (<see cref="Result"/> and <see cref="Event"/> set) after it.
/// </summary>
internal sealed record StoredIdempotencyEntry(string Fingerprint, string? Token, AddEventResult? Result, EventDto? Event);
