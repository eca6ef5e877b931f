using EventManagement.Infrastructure.ExternalApi;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>An Api test server whose mocked external API, fresh before every test, stores every event it is sent.</summary>
public abstract class AcceptingApiTestBase : ApiTestBase
{
    /// <summary>The events the Api sent to the external API in this test, in order.</summary>
    protected List<EventContract> Sent { get; private set; } = null!;

    [SetUp]
    public void AcceptEveryEvent()
    {
        Factory.ExternalApi.Reset();
        Sent = Factory.AcceptEveryEvent();
    }
}
