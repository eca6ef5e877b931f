using System.Net;
using System.Net.Http.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace EventManagement.Tests.Integration.Api.Security;

/// <summary>
/// X-Forwarded-For is believed from the configured proxies only, as the per-client rate limit shows: one permit per
/// client per hour, so a second call from the same client is a 429 and a call from another client is not.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Proxy = "10.1.2.3";

    [Test]
    public async Task KnownProxy_ItsForwardedClientsAreLimitedSeparately()
    {
        await using var api = Start(Proxy);
        using var client = CreateClient(api);

        var first = await PostAsync(client, peer: Proxy, forwardedFor: "203.0.113.7");
        var other = await PostAsync(client, peer: Proxy, forwardedFor: "203.0.113.8");
        var again = await PostAsync(client, peer: Proxy, forwardedFor: "203.0.113.7");

        Assert.That(new[] { first, other, again }, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task KnownProxy_OnlyTheEntryItAddedIsBelieved()
    {
        await using var api = Start(Proxy);
        using var client = CreateClient(api);

        // nginx appends the address it saw; what the client wrote before it is the client's own claim.
        var first = await PostAsync(client, peer: Proxy, forwardedFor: "198.51.100.1, 203.0.113.7");
        var spoofed = await PostAsync(client, peer: Proxy, forwardedFor: "198.51.100.2, 203.0.113.7");

        Assert.That(new[] { first, spoofed }, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
    }

    [TestCase(Proxy, "10.9.9.9")]
    [TestCase("", "127.0.0.1")]
    [TestCase("", "::1")]
    public async Task DirectClient_CannotChooseItsIdentityWithTheHeader(string knownProxies, string peer)
    {
        // With nothing configured the middleware is not used at all: the framework's default would trust loopback.
        await using var api = Start(knownProxies);
        using var client = CreateClient(api);

        var first = await PostAsync(client, peer, forwardedFor: "203.0.113.7");
        var second = await PostAsync(client, peer, forwardedFor: "203.0.113.8");

        Assert.That(new[] { first, second }, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task KnownNetwork_IsTrustedLikeAnAddress()
    {
        await using var api = Start("10.1.0.0/16");
        using var client = CreateClient(api);

        var first = await PostAsync(client, peer: "10.1.200.4", forwardedFor: "203.0.113.7");
        var other = await PostAsync(client, peer: "10.1.7.7", forwardedFor: "203.0.113.8");

        Assert.That(new[] { first, other }, Is.All.EqualTo(HttpStatusCode.Created));
    }

    private static ApiFactory Start(string knownProxies)
    {
        var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = knownProxies,
            ["Security:AddEventRateLimit"] = "1",
            ["Security:RateLimitWindow"] = "01:00:00",
        });
        factory.AcceptEveryEvent();
        return factory;
    }

    /// <summary>A client whose requests come from the peer address each names (the derived server is disposed with <paramref name="api"/>).</summary>
    private static HttpClient CreateClient(ApiFactory api) =>
        api.WithWebHostBuilder(static builder => builder.ConfigureTestServices(static services =>
            services.AddSingleton<IStartupFilter, PeerAddressStartupFilter>())).CreateClient();

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string peer, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = JsonContent.Create(new { name = "A", userId = "1" }) };
        request.Headers.Add(PeerAddressStartupFilter.HeaderName, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
