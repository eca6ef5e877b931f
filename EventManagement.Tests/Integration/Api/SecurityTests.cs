using System.Net;
using System.Net.Http.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>The optional API key and rate limit on POST /addEvent, and the headers on every answer.</summary>
public sealed class SecurityTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:ApiKey"] = "s3cret-key",
        ["Security:AddEventRateLimit"] = "3",
        ["Security:RateLimitWindow"] = "01:00:00",
    };

    [OneTimeSetUp]
    public void AcceptEveryEvent() =>
        Factory.ExternalApi.Setup(api => api.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new AddEventResponseContract(true, null, null)));

    [Test, Order(1)]
    public async Task AddEvent_WithoutOrWithWrongKey_Returns401AndCallsNothing()
    {
        var missing = await Client.PostAsJsonAsync("/addEvent", new { name = "A", userId = "1" });
        var wrong = await Send("s3cret-kez");

        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.That(Factory.ExternalApi.Invocations, Is.Empty);
    }

    [Test, Order(2)]
    public async Task AddEvent_OverTheRateLimit_Returns429WithRetryAfter()
    {
        // Three permits per window; the two 401s above were rejected before consuming... or not: count what is left.
        HttpResponseMessage last;
        var statuses = new List<HttpStatusCode>();
        do
        {
            last = await Send("s3cret-key");
            statuses.Add(last.StatusCode);
        }
        while (last.StatusCode == HttpStatusCode.Created && statuses.Count < 10);

        Assert.That(statuses, Has.Count.LessThanOrEqualTo(4));
        await ProblemAssert.IsProblemAsync(last, HttpStatusCode.TooManyRequests, "too many requests");
        Assert.That(last.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task EveryAnswer_CarriesSecurityHeadersAndNoServerHeader()
    {
        var response = await Client.GetAsync("/no-such-route");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
            Assert.That(response.Headers.Contains("Server"), Is.False);
        }
    }

    private async Task<HttpResponseMessage> Send(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = JsonContent.Create(new { name = "A", userId = "1" }) };
        request.Headers.Add("X-Api-Key", key);
        return await Client.SendAsync(request);
    }
}
