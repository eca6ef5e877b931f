namespace EventManagement.MockApi.Contracts;

/// <summary>The body of GET /healthz.</summary>
/// <param name="Status">"Healthy" while the program runs.</param>
internal sealed record HealthResponse(string Status)
{
    /// <summary>The answer while the program runs.</summary>
    public static readonly HealthResponse Healthy = new("Healthy");
}
