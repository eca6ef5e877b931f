using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using EventManagement.Tests.Integration.Api;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Faults turned up at run time through the MockApi's PUT /__admin/faults: the Api answers with the right status
/// within its configured total timeout, never hangs, and recovers by itself when the faults stop.
/// </summary>
/// <remarks>
/// Two Apis share one MockApi: one with the default timeouts, and an impatient one (0.3 s per attempt, 1.5 s in all,
/// no event cache) for the timeout tests. The MockApi starts without drops or overload, with 50 ms event lookups
/// (well inside the impatient Api's attempt timeout), and is reset to that before every test.
/// </remarks>
[Category("EndToEnd")]
public sealed class FaultToleranceTests
{
    /// <summary>
    /// The default Api's attempt timeout. A drop, a refused connection or a 503 fails its attempt at once, so all
    /// three attempts and their backoff (about 0.3 s) finish well inside one attempt timeout; had the Api waited a
    /// single attempt out, the answer would take longer than this.
    /// </summary>
    private static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ImpatientTotalTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>The impatient Api's total timeout plus room for a busy machine: answered, not hung.</summary>
    private static readonly TimeSpan ImpatientAnswerLimit = TimeSpan.FromSeconds(2.5);

    private static readonly (string Name, string Value)[] MockApiSettings =
    [
        ("MockApi__OverloadEnabled", "false"),
        ("MockApi__EventDelay", "00:00:00.05"),
    ];

    [SuppressMessage("Structure", "NUnit1032", Justification = "Shared by the fixture and disposed in OneTimeTearDown; the stop-and-restart test replaces it with the restarted process.")]
    private ServiceProcess? _mockApi;
    private ServiceProcess? _api;
    private ServiceProcess? _impatientApi;
    private MockApiControl _mock = null!;
    private HttpClient _client = null!;
    private HttpClient _impatientClient = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        // A reserved port, not one the system picks: a test restarts the MockApi on it.
        _mockApi = EndToEndServices.StartMockApi(ServiceProcess.FreePort(), MockApiSettings);
        _api = EndToEndServices.StartApi(_mockApi);
        _impatientApi = EndToEndServices.StartApi(
            _mockApi,
            ("ExternalApi__AttemptTimeout", "00:00:00.3"),
            ("ExternalApi__TotalTimeout", "00:00:01.5"),
            ("EventFetch__CacheDuration", "00:00:00"));
        _mock = new MockApiControl(_mockApi);
        _client = _api.CreateClient();
        _impatientClient = _impatientApi.CreateClient();
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _api, _impatientApi);

        // Warm both Apis (JIT, connections) so that the timed answers measure the timeouts, not a cold start.
        // Nothing is asserted: on a busy machine a cold call of the impatient Api may itself time out.
        foreach (var client in new[] { _client, _impatientClient })
        {
            using var users = await client.GetAsync("/getUsers");
            using var events = await client.GetAsync("/getEventsByUserId/1");
            using var added = await client.PostEventAsync("Warm-up");
        }
    }

    [OneTimeTearDown]
    public async Task StopServices()
    {
        _client?.Dispose();
        _impatientClient?.Dispose();
        _mock?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_impatientApi is not null)
        {
            await _impatientApi.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task ResetMockApi() => _mock.ResetAsync();

    [TestCase("/getUsers", MockApiControl.GetUsers)]
    [TestCase("/getEvents", MockApiControl.GetEvents)]
    public async Task GetList_EveryConnectionDropped_Answers503BusyAfterThreeAttemptsThenRecovers(string path, string route)
    {
        await _mock.SetFaultsAsync("""{"RandomFailureRate":1}""");
        var before = await _mock.StatsAsync(route);

        var (response, elapsed) = await TimedAsync(() => _client.GetAsync(path));

        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service busy");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _mock.StatsAsync(route) - before, Is.EqualTo(new RouteCounts(3, 3)), "one attempt and two retries, all dropped");
            Assert.That(elapsed, Is.LessThan(DefaultAttemptTimeout), "failed at once, not waited out");
        }

        await _mock.SetFaultsAsync("""{"RandomFailureRate":0}""");
        Assert.That(await _client.GetArrayAsync(path), Is.Not.Empty, "recovered once the drops stop");
    }

    [Test]
    public async Task GetEventsByUserId_EventLookupsSlowerThanEveryTimeout_Answers504InTimeThenRecovers()
    {
        await _mock.SetFaultsAsync("""{"EventDelay":"00:00:05"}""");
        var before = await _mock.StatsAsync(MockApiControl.GetEventById);

        var (response, elapsed) = await TimedAsync(() => _impatientClient.GetAsync("/getEventsByUserId/1"));

        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "events API timed out");
        }

        var lookups = await _mock.StatsAsync(MockApiControl.GetEventById) - before;
        TestContext.Out.WriteLine($"504 after {elapsed.TotalMilliseconds:0} ms; event lookups sent: {lookups.Calls}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(elapsed, Is.LessThan(ImpatientAnswerLimit), $"total timeout {ImpatientTotalTimeout}");
            Assert.That(lookups.Calls, Is.GreaterThan(2), "the timed-out lookups were retried");
        }

        await _mock.ResetAsync();
        var events = await _impatientClient.GetArrayAsync("/getEventsByUserId/1");
        Assert.That(events.Select(static item => item.StringAt("id")), Is.EqualTo(new[] { "event-1", "event-3" }), "recovered once the delay is gone");
    }

    [Test]
    public async Task AddEvent_UpstreamHangs_Answers504InTimeThenRecovers()
    {
        await _mock.SetFaultsAsync("""{"AddEventDelay":"00:00:05"}""");

        var (response, elapsed) = await TimedAsync(() => _impatientClient.PostEventAsync("Hanging"));

        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "events API timed out");
        }

        TestContext.Out.WriteLine($"504 after {elapsed.TotalMilliseconds:0} ms");
        Assert.That(elapsed, Is.LessThan(ImpatientAnswerLimit), $"total timeout {ImpatientTotalTimeout}");

        await _mock.ResetAsync();
        using var recovered = await _impatientClient.PostEventAsync("After the hang");
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recovered.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AddEvent_OverloadCycleRestarted_Answers503BusyAfterFiveSuccessesThenRecovers()
    {
        // Naming an Overload… setting restarts the cycle: 5 calls succeed, the next 10 fail.
        await _mock.SetFaultsAsync("""{"OverloadEnabled":true,"OverloadCycleLength":15,"OverloadSuccessesPerCycle":5}""");
        for (var i = 1; i <= 5; i++)
        {
            using var accepted = await _client.PostEventAsync($"Overload {i}");
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"POST {i}");
        }

        var before = await _mock.StatsAsync(MockApiControl.AddEvent);
        var (response, elapsed) = await TimedAsync(() => _client.PostEventAsync("Overload 6"));

        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service busy");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _mock.StatsAsync(MockApiControl.AddEvent) - before, Is.EqualTo(new RouteCounts(3, 3)), "three attempts, all refused by the overload");
            Assert.That(elapsed, Is.LessThan(DefaultAttemptTimeout), "failed at once, not waited out");
        }

        await _mock.ResetAsync();
        using var recovered = await _client.PostEventAsync("After the overload");
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recovered.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Api_MockApiStoppedThenStartedAgain_Answers503AndReadyDegradedThenRecoversByItself()
    {
        var port = _mockApi!.Port;
        await _mockApi.DisposeAsync();
        _mockApi = null;
        try
        {
            var (response, elapsed) = await TimedAsync(() => _client.GetAsync("/getUsers"));
            using (response)
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service busy");
            }

            Assert.That(elapsed, Is.LessThan(DefaultAttemptTimeout), "failed at once, not waited out");
            // A shared dependency down is Degraded, still 200: every replica sees the same outage, and taking them
            // all out of the load balancer would not help. The probe's result may be a few seconds old.
            await _api!.WaitUntilReadinessAsync("Degraded", TimeSpan.FromSeconds(15));
            using var readyz = await _client.GetAsync("/readyz");
            var body = await readyz.Content.ReadAsStringAsync();
            Assert.That(readyz.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Not.Contain("Connection refused"), "no exception text");
        }
        finally
        {
            // Same port, same settings: the Apis are pointed at it.
            _mockApi = EndToEndServices.StartMockApi(port, MockApiSettings);
        }

        await EndToEndServices.WaitUntilReadyAsync(_mockApi);

        // Nothing restarts the Api: it notices by itself.
        var clock = Stopwatch.StartNew();
        await _api!.WaitUntilReadinessAsync("Healthy", TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine($"/readyz Healthy again {clock.ElapsedMilliseconds} ms after the MockApi was back");
        Assert.That(await _client.GetArrayAsync("/getUsers"), Has.Count.EqualTo(3));
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call();
        await response.Content.LoadIntoBufferAsync();
        TestContext.Out.WriteLine($"answered {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
        return (response, clock.Elapsed);
    }
}
