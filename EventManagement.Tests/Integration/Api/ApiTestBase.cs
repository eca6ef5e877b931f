namespace EventManagement.Tests.Integration.Api;

/// <summary>One Api test server per fixture, with its mocked Refit client, started once and stopped at the end.</summary>
public abstract class ApiTestBase
{
    protected ApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings for this fixture's Api, on top of <see cref="ApiFactory"/>'s.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>The clock for this fixture's Api (e.g. a FakeTimeProvider), or null for the system's.</summary>
    protected virtual TimeProvider? Time => null;

    [OneTimeSetUp]
    public void StartApi()
    {
        Factory = new ApiFactory(Settings, Time);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
