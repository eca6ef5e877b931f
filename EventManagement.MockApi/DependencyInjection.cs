using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Hosting;
using EventManagement.MockApi.Options;
using EventManagement.MockApi.Serialization;
using EventManagement.MockApi.Stats;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventManagement.MockApi;

/// <summary>Registers the MockApi's settings, state and JSON metadata.</summary>
internal static class DependencyInjection
{
    /// <summary>Adds everything the MockApi's routes need.</summary>
    public static IServiceCollection AddMockApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Unknown keys are errors too: a mistyped MockApi__EventDely must stop the program, not be ignored.
        services.AddOptions<MockApiOptions>()
            .Bind(configuration.GetSection(MockApiOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MockApiOptions>, MockApiOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MockDataStore>();
        services.AddSingleton<SeedDataReader>();
        services.AddSingleton<RouteStats>();
        services.AddSingleton<RecentRequests>();
        services.AddSingleton<OverloadCycle>();
        services.AddSingleton(provider => new FaultSettingsHolder(
            provider.GetRequiredService<IOptions<MockApiOptions>>().Value.ToFaultSettings()));
        services.AddSingleton<MockApiResetter>();
        services.AddHostedService<SeedDataLoader>();

        services.ConfigureHttpJsonOptions(
            json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, MockJsonContext.Default));
        return services;
    }
}
