namespace EventManagement.Tests.Integration.Api;

/// <summary>One Api test server per fixture, with its mocked Refit client, started once and stopped at the end.</summary>
public abstract class ApiTestBase
{
    protected ApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings for this fixture's Api, on top of <see cref="ApiFactory"/>'s.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    [OneTimeSetUp]
    public void StartApi()
    {
        Factory = new ApiFactory(Settings);
        Client = CreateClient(Factory);
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }

    protected virtual HttpClient CreateClient(ApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient();
    }
}
