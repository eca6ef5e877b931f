using System.ComponentModel;

namespace EventManagement.Application.Events;

/// <summary>An event as the external events API stores it.</summary>
/// <remarks>
/// Sealed and immutable so that HybridCache (Infrastructure) can hand out the
/// cached instance itself instead of deserializing a copy on every hit (the warm path of GET /getEventsByUserId).
/// </remarks>
/// <param name="Id">The event's id.</param>
/// <param name="Name">The event's name.</param>
/// <param name="UserId">The id of the user who owns the event.</param>
/// <param name="Details">Free text about the event; may be absent.</param>
[ImmutableObject(true)]
public sealed record EventDto(string Id, string Name, string UserId, string? Details);
