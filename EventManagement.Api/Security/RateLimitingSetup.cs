namespace EventManagement.Api.Security;

/// <summary>
/// Per-client rate limiting of POST /addEvent with the framework's rate limiter, cluster-wide on Redis when
/// <c>Cache:Redis</c> is set. Off (no middleware, no partitions) while <see cref="SecurityOptions.AddEventRateLimit"/> is 0.
/// </summary>
public static class RateLimitingSetup
{
    public const string AddEventPolicy = "addEvent";

    public static IServiceCollection AddAddEventRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(static services => new RateLimitRedisConnection(services));
        services.AddOptions<RateLimitRedisOptions>()
            .Configure(options => options.ConnectionString = configuration[RateLimitRedisOptions.ConnectionStringKey]);
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
            // Connect now (at most the short connect timeout, even with Redis down) rather than in the first request.
            var redis = app.Services.GetRequiredService<RateLimitRedisConnection>();
            if (redis.IsConfigured)
            {
                redis.Get();
            }

            app.UseRateLimiter();
        }

        return app;
    }
}
