namespace EventManagement.Api.Security;

/// <summary>
/// Per-client rate limiting of POST /addEvent with the framework's rate limiter, cluster-wide on Redis when
/// <c>Cache:Redis</c> is set. Off (no middleware, no partitions) while <see cref="SecurityOptions.AddEventRateLimit"/> is 0.
/// </summary>
public static class RateLimitingSetup
{
    public const string AddEventPolicy = "addEvent";

    public static IServiceCollection AddAddEventRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<RateLimitFallbackMonitor>();
        services.AddRateLimiter(static limiter => limiter.AddPolicy<string, AddEventRateLimitPolicy>(AddEventPolicy));
        return services;
    }

    /// <summary>
    /// The rate limiter, after authentication so that a refused caller spends no real client's budget; not in the
    /// pipeline at all while limiting is off, so that no request pays for it and no per-client partition piles up.
    /// </summary>
    public static WebApplication UseAddEventRateLimiting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.AddEventRateLimit > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}
