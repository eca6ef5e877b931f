using EventManagement.Application.Events;

namespace EventManagement.Api.Contracts;

/// <summary>The answer to a successful POST /addEvent.</summary>
/// <param name="Success">Always <c>true</c> here; errors are problem responses with <c>"success": false</c>.</param>
/// <param name="Event">The event as stored, with the id the Api gave it.</param>
public sealed record AddEventResponse(bool Success, EventDto Event);
