using System.Net;
using System.Net.Http.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>POST /addEvent through the breaker, with a fake clock so that the break passes instantly.</summary>
public sealed class CircuitBreakerRouteTests : ApiTestBase
{
    protected override bool UsesFakeClock => true;

    [Test]
    public async Task AddEvent_WhenExternalApiKeepsFailing_AnswersBusyThenDownWithoutCallingIt()
    {
        Factory.ExternalApi.Setup(api => api.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<AddEventResponseContract>(HttpStatusCode.ServiceUnavailable));

        for (var i = 0; i < 3; i++)
        {
            var busy = await Client.PostAsJsonAsync("/addEvent", new { name = "E" + i, userId = "1" });
            await ProblemAssert.IsProblemAsync(busy, HttpStatusCode.ServiceUnavailable, "service busy");
        }

        var callsBefore = Factory.ExternalApi.Invocations.Count;
        var down = await Client.PostAsJsonAsync("/addEvent", new { name = "E3", userId = "1" });

        await ProblemAssert.IsProblemAsync(down, HttpStatusCode.ServiceUnavailable, "service down, try later");
        Assert.That(down.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(Factory.ExternalApi.Invocations, Has.Count.EqualTo(callsBefore), "no call while open");

        var ready = await Client.GetAsync("/readyz");
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("\"status\":\"Degraded\""));

        Clock.Advance(TimeSpan.FromSeconds(15));
        Factory.AcceptEveryEvent();

        var probe = await Client.PostAsJsonAsync("/addEvent", new { name = "Probe", userId = "1" });
        var after = await Client.PostAsJsonAsync("/addEvent", new { name = "After", userId = "1" });

        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
