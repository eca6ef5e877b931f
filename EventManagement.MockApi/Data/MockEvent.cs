using System.Text.Json.Serialization;

namespace EventManagement.MockApi.Data;

/// <summary>An event as the external API returns it.</summary>
/// <param name="Id">The event's id, e.g. "event-1".</param>
/// <param name="Name">The event's name.</param>
/// <param name="UserId">The id of the user who owns the event.</param>
/// <param name="Details">Free text; optional when the event is added, and then left out of the JSON.</param>
internal sealed record MockEvent(
    string Id,
    string Name,
    string UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Details);
