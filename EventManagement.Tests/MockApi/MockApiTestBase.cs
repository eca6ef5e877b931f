namespace EventManagement.Tests.MockApi;

/// <summary>One MockApi test server per fixture, reset to its start-up state before every test.</summary>
public abstract class MockApiTestBase
{
    private protected MockApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartMockApi()
    {
        Factory = CreateFactory();
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopMockApi()
    {
        Client.Dispose();
        Factory.Dispose();
    }

    [SetUp]
    public virtual Task ResetAsync() => Client.ResetMockApiAsync();

    private protected virtual MockApiFactory CreateFactory() => new();
}
