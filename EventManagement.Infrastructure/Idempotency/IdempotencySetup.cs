using EventManagement.Application.Idempotency;
using EventManagement.Infrastructure.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Infrastructure.Idempotency;

/// <summary>Registers the Idempotency-Key store: Redis when <c>Cache:Redis</c> is set (shared by replicas), else memory.</summary>
public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotencyStore(this IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.IsConfigured)
        {
            services.AddSingleton<IIdempotencyStore, RedisIdempotencyStore>();
        }
        else
        {
            services.AddSingleton<IIdempotencyStore, MemoryIdempotencyStore>();
        }

        return services;
    }
}
