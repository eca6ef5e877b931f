namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>A user as the external API sends it.</summary>
public sealed record UserContract(string? Id, string? UserName, string? Email, List<string>? Events);
