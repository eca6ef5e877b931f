namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>The external API's answer to POST /addEvent, success or failure.</summary>
public sealed record AddEventResponseContract(bool Success, string? Error, string? Message);
