namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// One real MockApi process per fixture, with 20 ms event lookups (the tests read what it recorded, not its delay),
/// reset before every test: data, counters, faults and its log of received requests.
/// </summary>
public abstract class FastMockApiTestBase
{
    private protected ServiceProcess MockApi { get; private set; } = null!;

    private protected MockApiControl Mock { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartMockApi()
    {
        MockApi = EndToEndServices.StartMockApi(("MockApi__EventDelay", "00:00:00.02"));
        await EndToEndServices.WaitUntilReadyAsync(MockApi);
        Mock = new MockApiControl(MockApi);
    }

    [OneTimeTearDown]
    public async Task StopMockApi()
    {
        Mock?.Dispose();
        if (MockApi is not null)
        {
            await MockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task ResetMockApi() => Mock.ResetAsync();
}
