using EventManagement.Application.Abstractions;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Infrastructure.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace EventManagement.Infrastructure;

/// <summary>Registers the external API client: Refit (source-generated), its HttpClient and its resilience handler.</summary>
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

        // One call budget for the whole process, in front of the gateway (and so in front of every Polly timeout).
        services.AddSingleton(static services =>
        {
            var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
            return new FairConcurrencyLimiter(options.MaxConcurrentCalls, options.MaxQueuedCalls);
        });
        services.AddSingleton<RetryBudget>();
        services.AddTransient<ExternalEventsGateway>();
        services.AddTransient<IExternalEventsApi>(static services => new BudgetedExternalEventsApi(
            services.GetRequiredService<ExternalEventsGateway>(),
            services.GetRequiredService<FairConcurrencyLimiter>(),
            services.GetRequiredService<AdmissionController>(),
            services.GetRequiredService<OverloadMetrics>(),
            services.GetRequiredService<TimeProvider>()));
        return services;
    }
}
