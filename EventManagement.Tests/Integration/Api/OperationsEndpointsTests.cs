using System.Net;
using System.Text.Json;
using EventManagement.Api.Health;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>Health, readiness, metrics and Swagger.</summary>
public sealed class OperationsEndpointsTests : ApiTestBase
{
    protected override bool UsesFakeClock => true;

    // /readyz answers from a result up to CachedHealthCheck.MaxAge old: each test moves the clock past it.
    [SetUp]
    public void ResetExternalApi()
    {
        Factory.ExternalApi.Reset();
        Clock.Advance(CachedHealthCheck<ExternalApiHealthCheck>.MaxAge);
    }

    [Test]
    public async Task Healthz_AnswersHealthyWithoutCallingTheExternalApi()
    {
        Factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));

        var response = await Client.GetAsync("/healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Status(await response.Content.ReadAsStringAsync()), Is.EqualTo("Healthy"));
        Assert.That(Factory.ExternalApi.Invocations, Is.Empty);
    }

    [Test]
    public async Task Readyz_WhenExternalApiAnswersAnything_IsHealthy()
    {
        Factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new HttpResponseMessage(HttpStatusCode.NotFound));

        var response = await Client.GetAsync("/readyz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Status(await response.Content.ReadAsStringAsync()), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Readyz_WhenExternalApiIsUnreachable_Answers200DegradedWithoutExceptionText()
    {
        Factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("Connection refused by 10.1.2.3"));

        var response = await Client.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(Status(body), Is.EqualTo("Degraded"), body);
        Assert.That(body, Does.Not.Contain("Connection refused").And.Not.Contain("10.1.2.3").And.Not.Contain("HttpRequestException"));
    }

    [Test]
    public async Task Readyz_ProbedRepeatedlyWithinMaxAge_CallsTheExternalApiOnce()
    {
        Factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new HttpResponseMessage(HttpStatusCode.OK));

        for (var i = 0; i < 5; i++)
        {
            using var response = await Client.GetAsync("/readyz");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Factory.ExternalApi.Verify(api => api.PingAsync(It.IsAny<CancellationToken>()), Times.Once());
        Clock.Advance(CachedHealthCheck<ExternalApiHealthCheck>.MaxAge);
        using var later = await Client.GetAsync("/readyz");
        Factory.ExternalApi.Verify(api => api.PingAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task Metrics_AfterARequest_ExposesHttpRuntimeAndOwnMeters()
    {
        Factory.ExternalApi.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract>()));
        await Client.GetAsync("/getUsers");

        var text = await Client.GetStringAsync("/metrics");

        Assert.That(text, Does.Contain("http_server_request_duration_seconds"));
        Assert.That(text, Does.Contain("eventmanagement_circuit_breaker_state"));
        Assert.That(text, Does.Contain("eventmanagement_upstream_duration_seconds"));
        Assert.That(text, Does.Contain("route=\"getUsers\""));
        Assert.That(text, Does.Contain("dotnet_gc_heap_total_allocated_bytes"));
        Assert.That(text, Does.Contain("dotnet_process_memory_working_set_bytes"));
    }

    [Test]
    public async Task SwaggerJson_DescribesTheFourRoutesWithTheirResponses()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths");

        Assert.That(
            paths.EnumerateObject().Select(p => p.Name),
            Is.SupersetOf(new[] { "/getUsers", "/getEvents", "/getEventsByUserId/{id}", "/addEvent" }));
        var addEventResponses = paths.GetProperty("/addEvent").GetProperty("post").GetProperty("responses");
        Assert.That(
            addEventResponses.EnumerateObject().Select(r => r.Name),
            Is.SupersetOf(new[] { "201", "400", "404", "413", "415", "503" }));
        Assert.That(document.ToString(), Does.Contain("Team offsite"), "examples from the XML docs");
    }

    [Test]
    public async Task SwaggerUi_IsServed()
    {
        var response = await Client.GetAsync("/swagger/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static string? Status(string json) => JsonDocument.Parse(json).RootElement.GetProperty("status").GetString();
}
