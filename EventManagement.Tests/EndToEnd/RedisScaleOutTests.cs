using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventManagement.Tests.Integration.Api;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Two Api replicas on one real Redis (Cache:Redis set) and one MockApi: the event cache and the Idempotency-Key
/// records are shared, and killing Redis mid-run degrades the replicas without stalling them.
/// </summary>
/// <remarks>
/// The MockApi keeps its 500 ms event lookups (the cold-read budget is measured against them) and runs without drops
/// or overload. Every test uses events it adds itself, so that nothing another test cached decides its outcome.
/// </remarks>
[Category("EndToEnd")]
public sealed class RedisScaleOutTests
{
    private RedisServer? _redis;
    private ServiceProcess? _mockApi;
    private ServiceProcess? _first;
    private ServiceProcess? _second;
    private MockApiControl _mock = null!;
    private HttpClient _a = null!;
    private HttpClient _b = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _redis = await RedisServer.StartAsync();
        var ports = ServiceProcess.FreePorts(3);
        _mockApi = EndToEndServices.StartMockApi(ports[0], ("MockApi__OverloadEnabled", "false"));
        var redis = ("Cache__Redis", _redis.ConnectionString);
        _first = EndToEndServices.StartApi(ports[1], _mockApi, redis);
        _second = EndToEndServices.StartApi(ports[2], _mockApi, redis);
        _mock = new MockApiControl(_mockApi);
        _a = _first.CreateClient();
        _b = _second.CreateClient();
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _first, _second);

        // JIT and connections warm, so that the timed reads measure the cache, not a cold start.
        foreach (var client in new[] { _a, _b })
        {
            using var users = await client.GetAsync("/getUsers");
            using var events = await client.GetAsync("/getEventsByUserId/1");
        }
    }

    [OneTimeTearDown]
    public async Task StopServices()
    {
        _a?.Dispose();
        _b?.Dispose();
        _mock?.Dispose();
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Test]
    public async Task GetEventsByUserId_FetchedByOneReplica_IsAnsweredWarmByTheOtherAndFetchedUpstreamOnce()
    {
        // Older events may be cached by either replica (or lost with a restarted Redis): only the new ones are cold.
        await _a.GetArrayAsync("/getEventsByUserId/2");
        await _b.GetArrayAsync("/getEventsByUserId/2");
        var added = await AddEventsAsync(_a, "2", 5);
        var before = await _mock.StatsAsync(MockApiControl.GetEventById);

        var fromFirst = await _a.GetArrayAsync("/getEventsByUserId/2");
        var fetched = (await _mock.StatsAsync(MockApiControl.GetEventById) - before).Calls;
        await WaitUntilSharedAsync(added);
        var (fromSecond, elapsed) = await TimedArrayAsync(_b, "/getEventsByUserId/2");
        var after = await _mock.StatsAsync(MockApiControl.GetEventById) - before;

        TestContext.Out.WriteLine($"first replica fetched {fetched} events; second answered {fromSecond.Count} in {elapsed.TotalMilliseconds:0} ms");
        Assert.That(JsonNode.DeepEquals(fromSecond, fromFirst), Is.True, "both replicas give the same answer");
        Assert.That(fetched, Is.EqualTo(5), "the five new events were cold");
        Assert.That(after.Calls, Is.EqualTo(fetched), "the second replica read them from Redis: each event fetched upstream once");
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromMilliseconds(400)), "warm, not one 500 ms lookup");
    }

    [Test]
    public async Task AddEvent_RepeatedOnTheOtherReplica_GetsTheSameEventStoredOnceAndAnotherBodyIs422()
    {
        var key = "order-" + Guid.NewGuid().ToString("N");
        var before = await _mock.StatsAsync(MockApiControl.AddEvent);

        using var first = await PostAsync(_a, """{"name":"Paid once","userId":"3"}""", key);
        using var repeat = await PostAsync(_b, """{"userId":3,"name":"Paid once"}""", "\"" + key + "\"");
        using var other = await PostAsync(_b, """{"name":"Paid twice","userId":"3"}""", key);

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), firstBody);
        Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await repeat.Content.ReadAsStringAsync(), Is.EqualTo(firstBody), "the first answer, replayed by the other replica");
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency key reused");
        Assert.That((await _mock.StatsAsync(MockApiControl.AddEvent) - before).Calls, Is.EqualTo(1), "stored once upstream");

        var id = JsonNode.Parse(firstBody)?["event"].StringAt("id");
        var events = await _a.GetArrayAsync("/getEventsByUserId/3");
        Assert.That(events.Count(e => e.StringAt("id") == id), Is.EqualTo(1));
    }

    [Test]
    public async Task Api_RedisKilledThenBack_ServesWithoutStallingReportsDegradedThenSharesAgain()
    {
        var warmPath = "/getEventsByUserId/1";
        await _a.GetArrayAsync(warmPath);
        _redis!.Stop();
        try
        {
            foreach (var api in new[] { _first!, _second! })
            {
                var readiness = await api.WaitUntilReadinessAsync("Degraded", TimeSpan.FromSeconds(15));
                Assert.That(JsonNode.Parse(readiness)?["entries"]?["redis"].StringAt("status"), Is.EqualTo("Degraded"), readiness);
            }

            using (var readyz = await _a.GetAsync("/readyz"))
            {
                Assert.That(readyz.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a shared part down never takes the replica out");
            }

            // A read that waited on Redis would take its 500 ms command timeout; the figure is the median under 100 ms
            // (one read of three may lose its core to another process on a busy machine).
            var warmReads = new List<TimeSpan>();
            for (var i = 0; i < 3; i++)
            {
                var (_, warm) = await TimedArrayAsync(_a, warmPath);
                TestContext.Out.WriteLine($"warm read with Redis down: {warm.TotalMilliseconds:0} ms");
                warmReads.Add(warm);
            }

            Assert.That(warmReads, Is.All.LessThan(TimeSpan.FromMilliseconds(450)), "no read waited on Redis");
            Assert.That(warmReads.Order().ElementAt(1), Is.LessThan(TimeSpan.FromMilliseconds(100)), "the median warm read");

            using (var added = await PostAsync(_a, """{"name":"While Redis is down","userId":"2"}""", "down-" + Guid.NewGuid().ToString("N")))
            {
                Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
            }

            using (var plain = await _b.PostEventAsync("Also while Redis is down", "2"))
            {
                Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.Created), await plain.Content.ReadAsStringAsync());
            }

            var (events, cold) = await TimedArrayAsync(_b, "/getEventsByUserId/2");
            TestContext.Out.WriteLine($"cold read with Redis down: {cold.TotalMilliseconds:0} ms for {events.Count} events");
            Assert.That(cold, Is.LessThan(TimeSpan.FromSeconds(1.5)));
            Assert.That(events.Select(e => e.StringAt("name")), Does.Contain("While Redis is down").And.Contain("Also while Redis is down"));
        }
        finally
        {
            await _redis.RestartAsync();
        }

        var back = Stopwatch.StartNew();
        await Task.WhenAll(_first!.WaitUntilReadinessAsync("Healthy", TimeSpan.FromSeconds(30)), _second!.WaitUntilReadinessAsync("Healthy", TimeSpan.FromSeconds(30)));
        TestContext.Out.WriteLine($"both replicas Healthy {back.ElapsedMilliseconds} ms after Redis was back");

        // Both replicas hold user 3's older events in memory (Redis came back empty): only the new ones are cold.
        await _a.GetArrayAsync("/getEventsByUserId/3");
        await _b.GetArrayAsync("/getEventsByUserId/3");
        var addedAfter = await AddEventsAsync(_a, "3", 2);
        var before = await _mock.StatsAsync(MockApiControl.GetEventById);
        var fromFirst = await _a.GetArrayAsync("/getEventsByUserId/3");
        var fetched = (await _mock.StatsAsync(MockApiControl.GetEventById) - before).Calls;
        await WaitUntilSharedAsync(addedAfter);
        var fromSecond = await _b.GetArrayAsync("/getEventsByUserId/3");

        Assert.That(fetched, Is.EqualTo(2), "the two new events were cold");
        Assert.That((await _mock.StatsAsync(MockApiControl.GetEventById) - before).Calls, Is.EqualTo(fetched), "the shared tier is used again, without a restart");
        Assert.That(JsonNode.DeepEquals(fromSecond, fromFirst), Is.True);
    }

    /// <summary>
    /// Waits until Redis holds every event in <paramref name="eventIds"/>: HybridCache writes its distributed tier in
    /// the background, just after the first answer, so another replica asked within those milliseconds would fetch again.
    /// </summary>
    private async Task WaitUntilSharedAsync(IReadOnlyList<string> eventIds)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in eventIds)
        {
            while (await _redis!.CommandAsync($"EXISTS eventmanagement:cache:event:{id}") != ":1")
            {
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), $"event {id} never reached Redis");
                await Task.Delay(10);
            }
        }

        TestContext.Out.WriteLine($"{eventIds.Count} new events in Redis {clock.ElapsedMilliseconds} ms after the first answer");
    }

    /// <summary>Adds <paramref name="count"/> events for the user through <paramref name="api"/>; returns their ids.</summary>
    private static async Task<IReadOnlyList<string>> AddEventsAsync(HttpClient api, string userId, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var added = await api.PostEventAsync($"Shared {Guid.NewGuid():N}", userId);
            var body = await added.Content.ReadAsStringAsync();
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
            ids.Add(JsonNode.Parse(body)?["event"].StringAt("id") ?? throw new InvalidOperationException(body));
        }

        return ids;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient api, string json, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return api.SendAsync(request);
    }

    private static async Task<(JsonArray Events, TimeSpan Elapsed)> TimedArrayAsync(HttpClient api, string path)
    {
        var clock = Stopwatch.StartNew();
        var events = await api.GetArrayAsync(path);
        return (events, clock.Elapsed);
    }
}
