using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace EventManagement.Tests.Integration.Api.Security;

/// <summary>The API key as an authentication scheme: 401 problems, refused callers spend no budget, Swagger's Authorize.</summary>
public sealed class ApiKeyAuthenticationTests : ApiTestBase
{
    private const string Key = "the-right-key";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:ApiKey"] = Key,
        ["Security:AddEventRateLimit"] = "2",
        ["Security:RateLimitWindow"] = "01:00:00",
    };

    [OneTimeSetUp]
    public void AcceptEveryEvent() =>
        Factory.AcceptEveryEvent();

    [Test]
    public async Task AddEvent_WithoutKey_Returns401ProblemWithChallenge()
    {
        using var response = await Client.PostAsJsonAsync("/addEvent", new { name = "A", userId = "1" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "missing or invalid API key");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("X-Api-Key"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey header=\"X-Api-Key\""));
    }

    [Test]
    public async Task Authentication_HasNoDefaultScheme_SoOnlyTheAddEventPolicyRunsTheHandler()
    {
        // A lone scheme would become the default, and every GET would run the handler for nothing.
        var schemes = Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.That(await schemes.GetDefaultAuthenticateSchemeAsync(), Is.Null);
        using var response = await Client.GetAsync("/getUsers");
        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AddEvent_RefusedCallers_SpendNoBudget_ThenTheLimitIsExact()
    {
        // Rate limiting runs after authentication: five wrong keys from this client leave its two permits untouched.
        var statuses = new List<HttpStatusCode>();
        foreach (var key in new[] { "wrong", "the-right-kez", string.Empty, "x", Key + " " })
        {
            using var refused = await SendAsync(key);
            statuses.Add(refused.StatusCode);
        }

        using var first = await SendAsync(Key);
        using var second = await SendAsync(Key);
        using var third = await SendAsync(Key);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(new[] { first.StatusCode, second.StatusCode }, Is.All.EqualTo(HttpStatusCode.Created));
        await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests, "too many requests");
        Assert.That(third.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.FromMinutes(50)), "the rest of the one-hour window");
        Assert.That(Factory.ExternalApi.Invocations, Has.Count.EqualTo(2), "only the admitted calls reach the external API");
    }

    [Test]
    public async Task SwaggerJson_DeclaresTheKeyAndRequiresItOnAddEventOnly()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        var paths = root.GetProperty("paths");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scheme.GetProperty("type").GetString(), Is.EqualTo("apiKey"));
            Assert.That(scheme.GetProperty("in").GetString(), Is.EqualTo("header"));
            Assert.That(scheme.GetProperty("name").GetString(), Is.EqualTo("X-Api-Key"));
            var requirement = paths.GetProperty("/addEvent").GetProperty("post").GetProperty("security")[0];
            Assert.That(requirement.TryGetProperty("ApiKey", out _), Is.True, requirement.ToString());
            Assert.That(paths.GetProperty("/getEvents").GetProperty("get").TryGetProperty("security", out _), Is.False);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = JsonContent.Create(new { name = "A", userId = "1" }) };
        request.Headers.Add("X-Api-Key", key);
        return await Client.SendAsync(request);
    }
}
