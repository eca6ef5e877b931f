using EventManagement.Application.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Infrastructure.Caching;

/// <summary>Registers HybridCache: process memory, plus Redis when <c>Cache:Redis</c> is set (see RedisSetup).</summary>
public static class CachingSetup
{
    public static IServiceCollection AddEventCache(this IServiceCollection services, IConfiguration configuration)
    {
        var fetch = configuration.GetSection(EventFetchOptions.SectionName).Get<EventFetchOptions>() ?? new EventFetchOptions();
        services.AddMemoryCache(memory => memory.SizeLimit = fetch.CacheSizeLimitBytes);
        services.AddHybridCache();
        return services;
    }
}
