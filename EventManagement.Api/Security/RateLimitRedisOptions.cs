namespace EventManagement.Api.Security;

/// <summary>Where the rate limiter's Redis is: the shared <c>Cache:Redis</c> connection string (empty: no Redis).</summary>
public sealed class RateLimitRedisOptions
{
    /// <summary>The configuration key the connection string comes from.</summary>
    public const string ConnectionStringKey = "Cache:Redis";

    public string? ConnectionString { get; set; }
}
