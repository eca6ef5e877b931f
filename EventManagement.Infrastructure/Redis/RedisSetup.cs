using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Infrastructure.Redis;

/// <summary>Registers the shared Redis connection and HybridCache's Redis tier, when <c>Cache:Redis</c> is set.</summary>
public static class RedisSetup
{
    /// <summary>Prefix of every key this program writes to Redis, so that it can share a server with others.</summary>
    public const string KeyPrefix = "eventmanagement:";

    public static IServiceCollection AddRedisWhenConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.IsConfigured)
        {
            return services;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService<RedisConnectionWarmUp>();
        // HybridCache uses whatever IDistributedCache is registered as its second tier.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>()
            .Configure<RedisConnection>(static (cache, connection) =>
            {
                cache.InstanceName = KeyPrefix + "cache:";
                cache.ConnectionMultiplexerFactory = () => Task.FromResult(connection.Multiplexer);
            });
        return services;
    }
}
