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

    /// <summary>
    /// POSTs from the given peers with the given X-Forwarded-For, one permit per believed client: a 429 shows that two
    /// POSTs were taken for one client, a second 201 that they were taken for two.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public async Task AddEvent_WithForwardedFor_IsLimitedPerBelievedClient(
        string knownProxies, (string Peer, string ForwardedFor)[] posts, HttpStatusCode[] expected)
    {
        await using var api = Start(knownProxies);
        using var client = CreateClient(api);

        var statuses = new List<HttpStatusCode>();
        foreach (var (peer, forwardedFor) in posts)
        {
            statuses.Add(await PostAsync(client, peer, forwardedFor));
        }

        Assert.That(statuses, Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        const HttpStatusCode Created = HttpStatusCode.Created;
        const HttpStatusCode Limited = HttpStatusCode.TooManyRequests;
        yield return Case(
            "a known proxy's forwarded clients are limited separately",
            Proxy,
            [(Proxy, "203.0.113.7"), (Proxy, "203.0.113.8"), (Proxy, "203.0.113.7")],
            [Created, Created, Limited]);
        // nginx appends the address it saw; what the client wrote before it is the client's own claim.
        yield return Case(
            "a known proxy: only the entry it added is believed",
            Proxy,
            [(Proxy, "198.51.100.1, 203.0.113.7"), (Proxy, "198.51.100.2, 203.0.113.7")],
            [Created, Limited]);
        // With nothing configured the middleware is not used at all: the framework's default would trust loopback.
        foreach (var (knownProxies, peer) in new[] { (Proxy, "10.9.9.9"), ("", "127.0.0.1"), ("", "::1") })
        {
            yield return Case(
                $"a direct client {peer} (known proxies '{knownProxies}') cannot choose its identity",
                knownProxies,
                [(peer, "203.0.113.7"), (peer, "203.0.113.8")],
                [Created, Limited]);
        }

        yield return Case(
            "a known network is trusted like an address",
            "10.1.0.0/16",
            [("10.1.200.4", "203.0.113.7"), ("10.1.7.7", "203.0.113.8")],
            [Created, Created]);
    }

    private static TestCaseData Case(string name, string knownProxies, (string Peer, string ForwardedFor)[] posts, HttpStatusCode[] expected) =>
        new TestCaseData(knownProxies, posts, expected).SetName($"{{m}}({name})");

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
