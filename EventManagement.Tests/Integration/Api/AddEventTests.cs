using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Integration.Api;

public sealed class AddEventTests : AcceptingApiTestBase
{
    [Test]
    public async Task AddEvent_WithValidBody_Returns201WithTheStoredEvent()
    {
        var response = await Client.PostAsJsonAsync("/addEvent", new { name = "  Team offsite ", userId = "3", details = "Mountains" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var stored = body.GetProperty("event");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("success").GetBoolean(), Is.True);
            Assert.That(stored.GetProperty("name").GetString(), Is.EqualTo("Team offsite"));
            Assert.That(stored.GetProperty("userId").GetString(), Is.EqualTo("3"));
            Assert.That(stored.GetProperty("details").GetString(), Is.EqualTo("Mountains"));
            Assert.That(stored.GetProperty("id").GetString(), Does.Match("^[A-Za-z0-9_-]{1,64}$"));
            Assert.That(Sent.Single().Id, Is.EqualTo(stored.GetProperty("id").GetString()));
            Assert.That(Sent.Single().Name, Is.EqualTo("Team offsite"));
        }
    }

    [Test]
    public async Task AddEvent_WithWholeNumberUserId_TreatsItAsTheSameString()
    {
        var response = await Client.PostAsync("/addEvent", Json("""{"name":"Numeric","userId":3}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(Sent.Single().UserId, Is.EqualTo("3"));
    }

    [Test]
    public async Task AddEvent_TwiceInARow_GivesTwoDifferentIds()
    {
        await Client.PostAsJsonAsync("/addEvent", new { name = "A", userId = "1" });
        await Client.PostAsJsonAsync("/addEvent", new { name = "A", userId = "1" });

        Assert.That(Sent.Select(e => e.Id).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task AddEvent_WithSameIdempotencyKey_SendsTheSameId()
    {
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = Json("""{"name":"Once","userId":"2"}""") };
            request.Headers.Add("Idempotency-Key", "order-7781");
            var response = await Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        Assert.That(Sent.Select(e => e.Id).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task AddEvent_WhenUserIsUnknown_Returns404Problem()
    {
        Factory.ExternalApi.Setup(api => api.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<AddEventResponseContract>(HttpStatusCode.NotFound));

        var response = await Client.PostAsJsonAsync("/addEvent", new { name = "Nobody's", userId = "999" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user not found");
    }

    [Test]
    public async Task AddEvent_WhenExternalApiTimesOut_Returns504()
    {
        Factory.ExternalApi.Setup(api => api.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Polly.Timeout.TimeoutRejectedException());

        var response = await Client.PostAsJsonAsync("/addEvent", new { name = "Slow", userId = "1" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
