using EventManagement.Infrastructure.ExternalApi;
using Moq;

namespace EventManagement.Tests.Builders;

/// <summary>A fresh <see cref="ServiceHarness"/> over a fresh mocked Refit client for every test, disposed after it.</summary>
public abstract class ServiceHarnessTestBase
{
    /// <summary>The mocked Refit client under the harness: what the external API answers.</summary>
    private protected Mock<IExternalEventsApiClient> Client { get; private set; } = null!;

    private protected ServiceHarness Harness { get; private set; } = null!;

    [SetUp]
    public void CreateHarness()
    {
        Client = RefitClientMock.Create();
        Harness = new ServiceHarness(Client);
    }

    [TearDown]
    public void DisposeHarness() => Harness.Dispose();
}
