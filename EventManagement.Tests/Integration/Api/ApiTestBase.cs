using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.Integration.Api;

/// <summary>One Api test server per fixture, with its mocked Refit client, started once and stopped at the end.</summary>
public abstract class ApiTestBase
{
    protected ApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings for this fixture's Api, on top of <see cref="ApiFactory"/>'s.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>True: this fixture's Api runs on <see cref="Clock"/>, which the tests move, instead of the system's clock.</summary>
    protected virtual bool UsesFakeClock => false;

    /// <summary>The fixture's fake clock, from 2026-11-25 12:00 UTC (the Api's only when <see cref="UsesFakeClock"/>).</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [OneTimeSetUp]
    public void StartApi()
    {
        Factory = new ApiFactory(Settings, UsesFakeClock ? Clock : null);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
