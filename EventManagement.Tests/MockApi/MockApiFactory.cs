using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MockApiProgram = EventManagement.MockApi.Program;

namespace EventManagement.Tests.MockApi;

/// <summary>
/// The MockApi on a test server, with settings that leave nothing to luck: no random drops, short delays.
/// </summary>
public sealed class MockApiFactory : WebApplicationFactory<MockApiProgram>
{
    private readonly Dictionary<string, string> _settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MockApi:RandomFailureRate"] = "0",
        ["MockApi:RandomSeed"] = string.Empty,
        ["MockApi:EventDelay"] = "00:00:00.05",
        ["MockApi:OverloadEnabled"] = "true",
        ["MockApi:OverloadCycleLength"] = "15",
        ["MockApi:OverloadSuccessesPerCycle"] = "5",
        ["MockApi:OverloadFailureDelay"] = "00:00:00",
        ["MockApi:AddEventDelay"] = "00:00:00",
        ["MockApi:DataDirectory"] = "mocks",
    };

    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="overrides">Settings on top of the deterministic ones, e.g. ("MockApi:EventDelay", "00:00:00.3").</param>
    public MockApiFactory(params (string Key, string Value)[] overrides)
        : this(null, overrides)
    {
    }

    /// <param name="configureServices">Replaces services after the app's own registrations (e.g. the clock).</param>
    /// <param name="overrides">Settings on top of the deterministic ones.</param>
    public MockApiFactory(Action<IServiceCollection>? configureServices, params (string Key, string Value)[] overrides)
    {
        _configureServices = configureServices;
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }
}
