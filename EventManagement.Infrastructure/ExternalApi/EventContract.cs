namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>An event as the external API sends and receives it.</summary>
public sealed record EventContract(string? Id, string? Name, string? UserId, string? Details);
