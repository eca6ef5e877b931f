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
        Factory.AcceptEveryEvent();

    [Test]
    public async Task AddEvent_WithoutOrWithWrongKey_Returns401AndCallsNothing()
    {
        var missing = await Client.PostAsJsonAsync("/addEvent", new { name = "A", userId = "1" });
        var wrong = await Send(Client, "s3cret-kez");

        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.That(Factory.ExternalApi.Invocations, Is.Empty);
    }

    [Test]
    public async Task AddEvent_OverTheRateLimit_Returns429WithRetryAfter()
    {
        // A server of its own, so that no other test has spent a permit: exactly three are accepted.
        await using var factory = new ApiFactory(Settings);
        factory.AcceptEveryEvent();
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await Send(client, "s3cret-key");
            statuses.Add(accepted.StatusCode);
        }

        var last = await Send(client, "s3cret-key");

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created }));
        await ProblemAssert.IsProblemAsync(last, HttpStatusCode.TooManyRequests, "too many requests");
        Assert.That(last.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task EveryAnswer_CarriesSecurityHeaders()
    {
        var response = await Client.GetAsync("/no-such-route");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        }
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = JsonContent.Create(new { name = "A", userId = "1" }) };
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }
}
