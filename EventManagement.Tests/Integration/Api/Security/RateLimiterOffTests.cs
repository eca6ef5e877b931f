using System.Net;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using EventManagement.Tests.EndToEnd;
using Moq;

namespace EventManagement.Tests.Integration.Api.Security;

/// <summary>Security:AddEventRateLimit 0 means no limiter work at all: the middleware never looks at a request.</summary>
public sealed class RateLimiterOffTests
{
    [TestCase("0", 0)]
    [TestCase("100", 3)]
    public async Task AddEvent_LimiterSeesRequestsOnlyWhenLimitingIsOn(string limit, int expectedMeasurements)
    {
        await using var factory = new ApiFactory(new Dictionary<string, string?> { ["Security:AddEventRateLimit"] = limit });
        factory.AcceptEveryEvent();
        using var client = factory.CreateClient();
        using var measurements = new RateLimiterMeasurements(factory);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostEventAsync($"Event {i}", "1");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        Assert.That(measurements.Count, Is.EqualTo(expectedMeasurements));
    }
}
