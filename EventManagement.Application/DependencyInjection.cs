using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using EventManagement.Application.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventManagement.Application;

/// <summary>Registers the application layer.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CircuitBreakerOptions>()
            .Bind(configuration.GetSection(CircuitBreakerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<EventFetchOptions>()
            .Bind(configuration.GetSection(EventFetchOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<IdempotencyOptions>()
            .Bind(configuration.GetSection(IdempotencyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<RequestOptions>()
            .Bind(configuration.GetSection(RequestOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<CircuitBreaker>();
        services.AddSingleton<EventManagementMetrics>();
        // The call budget itself (FairConcurrencyLimiter) is sized and registered by Infrastructure.
        services.AddSingleton<OverloadMetrics>();
        services.AddSingleton<AdmissionController>();

        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<UsersService>();
        services.AddSingleton<EventsService>();
        return services;
    }
}
