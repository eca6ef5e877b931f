using System.Net;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;
using Refit;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// What clients see under load: a request past its deadline gets a 504 problem, a request that cannot finish in
/// time a 503 <c>service busy</c> with Retry-After before any lookup is sent, and /metrics shows both.
/// </summary>
public sealed class UnderLoadTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // 512 calls in flight at 500 ms a lookup: 1024 lookups a second. One lookup fits in a 2 s deadline even when
        // the user read took over a second on a busy machine; 3000 lookups (about 2.9 s of work) never do.
        ["Requests:Timeout"] = "00:00:02",
        ["Requests:ExpectedLookupLatency"] = "00:00:00.500",
    };

    /// <summary>
    /// Runs the route once, so that the deadlines below measure the request and not the first request's JIT (on a
    /// busy machine that alone can outlast a 2 s deadline).
    /// </summary>
    [OneTimeSetUp]
    public async Task WarmUpTheRoute()
    {
        Factory.ExternalApi.SetupUser("warm", "warm-1");
        Factory.ExternalApi.SetupEvents("warm-1");
        using var response = await Client.GetAsync("/getEventsByUserId/warm");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the warm-up request");
    }

    [SetUp]
    public void ResetExternalApi() => Factory.ExternalApi.Reset();

    [Test]
    public async Task GetEventsByUserId_WhenTheExternalApiHangsPastTheDeadline_Answers504AndCancelsTheLookup()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Factory.ExternalApi.Setup(api => api.GetUserByIdAsync("1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(RefitClientMock.User("1", ["event-1"])));
        Factory.ExternalApi.Setup(api => api.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>()))
            .Returns(async (string _, CancellationToken token) =>
            {
                using var registration = token.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, token);
                return ApiResponses.Ok(RefitClientMock.Event("event-1"));
            });

        using var response = await Client.GetAsync("/getEventsByUserId/1");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "events API timed out");
        Assert.That(cancelled.Task.IsCompleted, Is.True, "the lookup in flight is cancelled at the deadline");
    }

    [Test]
    public async Task GetEventsByUserId_WhenItsLookupsCannotFinishWithinTheDeadline_Answers503BusyWithRetryAfterAndSendsNone()
    {
        var eventIds = Enumerable.Range(1, 3000).Select(i => $"e-{i}").ToArray();
        Factory.ExternalApi.Setup(api => api.GetUserByIdAsync("big", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(RefitClientMock.User("big", eventIds)));

        using var response = await Client.GetAsync("/getEventsByUserId/big");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service busy");
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)), "3000 lookups at 1024 a second");
            Factory.ExternalApi.Verify(api => api.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
        });
    }

    [Test]
    public async Task Metrics_AfterARefusalAndADeadline_ShowTheOverloadMeters()
    {
        await GetEventsByUserId_WhenItsLookupsCannotFinishWithinTheDeadline_Answers503BusyWithRetryAfterAndSendsNone();
        Factory.ExternalApi.Reset();
        await GetEventsByUserId_WhenTheExternalApiHangsPastTheDeadline_Answers504AndCancelsTheLookup();

        var metrics = await Client.GetStringAsync("/metrics");

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Contain("eventmanagement_upstream_calls_waiting"));
            Assert.That(metrics, Does.Contain("eventmanagement_upstream_calls_in_flight"));
            Assert.That(metrics, Does.Match("eventmanagement_requests_refused_total\\{[^}]*reason=\"admission\"[^}]*\\} [1-9]"));
            Assert.That(metrics, Does.Match("eventmanagement_requests_deadline_exceeded_total(\\{[^}]*\\})? [1-9]"));
        });
    }
}
