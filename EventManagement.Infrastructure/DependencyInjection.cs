using EventManagement.Application.Abstractions;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;
using EventManagement.Infrastructure.Caching;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Infrastructure.Idempotency;
using EventManagement.Infrastructure.Redis;
using EventManagement.Infrastructure.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventManagement.Infrastructure;

/// <summary>
/// Registers the external API client (Refit, source-generated, with its HttpClient and resilience handler), the
/// decorators of the port over it (shared reads, then the event cache), and Redis when it is configured.
/// </summary>
public static class DependencyInjection
{
    /// <summary>The environment variable that overrides <c>ExternalApi:BaseUrl</c>.</summary>
    public const string BaseUrlVariable = "EXTERNAL_API_BASE_URL";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExternalApiOptions>()
            .Bind(configuration.GetSection(ExternalApiOptions.SectionName))
            .Configure(options =>
            {
                var fromEnvironment = configuration[BaseUrlVariable];
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    options.BaseUrl = fromEnvironment;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var refitSettings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(ExternalApiJsonContext.Default));
        services.AddRefitGeneratedClient<IExternalEventsApiClient>(refitSettings)
            .ConfigureHttpClient(static (services, http) =>
            {
                var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl);
                // The resilience handler owns every timeout; HttpClient's own would cut across it.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(static services =>
            {
                var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
                return new SocketsHttpHandler
                {
                    // Enough pooled connections for a whole fan-out at once; recycled so DNS changes are seen.
                    MaxConnectionsPerServer = options.MaxConnectionsPerServer,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                    ConnectTimeout = options.AttemptTimeout,
                    UseCookies = false,
                    // The external API never redirects; following one silently would hide a misconfigured base URL.
                    AllowAutoRedirect = false,
                };
            })
            // IHttpClientFactory's own request logging (start/end lines at Information, a scope per request) is
            // filtered out by nlog.config anyway; the gateway and the retry handler log what matters.
            .RemoveAllLoggers()
            // The handler's pool already recycles connections; rebuilding handlers would only drop warm ones.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddExternalApiResilience();

        services.AddRedisWhenConfigured(configuration);
        services.AddEventCache(configuration);
        services.AddIdempotencyStore(configuration);

        // One call budget for the whole process, in front of the gateway (and so in front of every Polly timeout).
        services.AddSingleton(static services =>
        {
            var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
            return new FairConcurrencyLimiter(options.MaxConcurrentCalls, options.MaxQueuedCalls);
        });
        services.AddSingleton<RetryBudget>();

        // The port, decorated as ardalis's CachedRepository is: shared reads over the cache over the call budget
        // over the gateway. Cache hits and joined reads never take a slot of the budget.
        // Singletons: the decorators hold the reads and cache entries that concurrent requests share.
        services.AddTransient<ExternalEventsGateway>();
        services.AddSingleton<BudgetedExternalEventsApi>(static services => new BudgetedExternalEventsApi(
            services.GetRequiredService<ExternalEventsGateway>(),
            services.GetRequiredService<FairConcurrencyLimiter>(),
            services.GetRequiredService<AdmissionController>(),
            services.GetRequiredService<OverloadMetrics>(),
            services.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CachedExternalEventsApi>(static services =>
            ActivatorUtilities.CreateInstance<CachedExternalEventsApi>(services, services.GetRequiredService<BudgetedExternalEventsApi>()));
        services.AddSingleton<IExternalEventsApi>(static services =>
            ActivatorUtilities.CreateInstance<SharedReadsExternalEventsApi>(services, services.GetRequiredService<CachedExternalEventsApi>()));
        return services;
    }
}
