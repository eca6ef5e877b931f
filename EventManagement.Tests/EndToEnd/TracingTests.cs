using System.Diagnostics;
using System.Net;
using EventManagement.Tests.Builders;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The spans of a request and their parent-child links, read from the in-memory exporter, with the real HttpClient
/// stack calling a real MockApi that records the traceparent of every call it receives.
/// </summary>
[Category("EndToEnd")]
public sealed class TracingTests
{
    private ServiceProcess? _mockApi;
    private MockApiControl? _mock;

    [OneTimeSetUp]
    public async Task StartMockApi()
    {
        _mockApi = EndToEndServices.StartMockApi(("MockApi__EventDelay", "00:00:00.02"));
        await EndToEndServices.WaitUntilReadyAsync(_mockApi);
        _mock = new MockApiControl(_mockApi);
    }

    [OneTimeTearDown]
    public async Task StopMockApi()
    {
        _mock?.Dispose();
        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task ResetMockApi() => _mock!.ResetAsync();

    [Test]
    public async Task GetEventsByUserId_MakesOneTraceWithTheRequestEveryUpstreamCallAndTheCacheLookups()
    {
        await using var factory = new TracedApiFactory(_mockApi!.BaseAddress);
        using var client = factory.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        using (var response = await SendAsync(client, HttpMethod.Get, "/getEventsByUserId/1", traceId, callerSpan))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var spans = await WaitForServerSpanAsync(factory.Spans, traceId);
        var server = spans.Single(span => span.Kind == ActivityKind.Server);
        var calls = spans.Where(span => span.Kind == ActivityKind.Client).ToArray();
        var lookups = spans.Where(span => span.DisplayName == "event lookup").ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.ParentSpanId, Is.EqualTo(callerSpan), "the request continues the caller's trace");
            Assert.That(spans.Count(span => span.DisplayName == "upstream getUserById"), Is.EqualTo(1));
            Assert.That(spans.Count(span => span.DisplayName == "upstream getEventById"), Is.EqualTo(2));
            Assert.That(calls, Has.Length.EqualTo(3), "one HttpClient span per upstream call");
            Assert.That(lookups.Select(span => span.GetTagItem("cache.hit")), Is.EqualTo(new object[] { false, false }));
            foreach (var span in spans.Where(span => span != server))
            {
                Assert.That(AncestorsOf(span, spans), Does.Contain(server), $"{span.DisplayName} descends from the request");
            }

            foreach (var call in calls)
            {
                Assert.That(spans.Single(span => span.SpanId == call.ParentSpanId).DisplayName, Does.StartWith("upstream "));
            }

            foreach (var lookup in spans.Where(span => span.DisplayName == "upstream getEventById"))
            {
                Assert.That(AncestorsOf(lookup, spans).Select(span => span.DisplayName), Does.Contain("event lookup"));
            }
        }

        // The external API saw each call with its own span of the same trace, the cached event lookups included.
        var received = await _mock!.RequestsAsync();
        Assert.That(received.Select(request => request.Path), Is.EquivalentTo(new[] { "/getUserById/1", "/getEventById/event-1", "/getEventById/event-3" }));
        Assert.That(received.Select(request => request.TraceParent), Is.EquivalentTo(calls.Select(call => call.Id)));

        // Again: the events come from the cache, so the lookups say so and only the user is read upstream.
        var secondTrace = ActivityTraceId.CreateRandom();
        using (var again = await SendAsync(client, HttpMethod.Get, "/getEventsByUserId/1", secondTrace, callerSpan))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var second = await WaitForServerSpanAsync(factory.Spans, secondTrace);
        Assert.That(
            second.Where(span => span.DisplayName == "event lookup").Select(span => span.GetTagItem("cache.hit")),
            Is.EqualTo(new object[] { true, true }));
        Assert.That(second.Count(span => span.Kind == ActivityKind.Client), Is.EqualTo(1));
    }

    [Test]
    public async Task AddEvent_WhoseFirstAttemptFails_TracesBothAttemptsUnderOneCallWithARetryEvent()
    {
        // Every second POST /addEvent fails: the first goes through, the traced one fails once and then succeeds.
        await _mock!.SetFaultsAsync("""{"OverloadEnabled":true,"OverloadCycleLength":2,"OverloadSuccessesPerCycle":1,"OverloadFailureDelay":"00:00:00"}""");
        await using var factory = new TracedApiFactory(_mockApi!.BaseAddress);
        using var client = factory.CreateClient();
        using (var first = await client.PostEventAsync("warm-up", userId: "3"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        }

        var traceId = ActivityTraceId.CreateRandom();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            request.Content = new StringContent("""{"name":"traced","userId":"3"}""", System.Text.Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }

        var spans = await WaitForServerSpanAsync(factory.Spans, traceId);
        var server = spans.Single(span => span.Kind == ActivityKind.Server);
        var call = spans.Single(span => span.DisplayName == "upstream addEvent");
        var attempts = spans.Where(span => span.Kind == ActivityKind.Client).OrderBy(span => span.StartTimeUtc).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(AncestorsOf(call, spans), Does.Contain(server));
            Assert.That(attempts, Has.Length.EqualTo(2));
            Assert.That(attempts.Select(attempt => attempt.ParentSpanId), Is.All.EqualTo(call.SpanId), "each attempt is a child of the call");
            Assert.That(attempts[0].GetTagItem("http.response.status_code"), Is.EqualTo(503));
            Assert.That(attempts[1].GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(call.Events.Select(decision => decision.Name), Is.EqualTo(new[] { "retry" }));
            Assert.That(call.GetTagItem("upstream.outcome"), Is.EqualTo("success"));
        }

        var received = (await _mock.RequestsAsync()).Where(request => request.TraceParent?.Contains(traceId.ToHexString(), StringComparison.Ordinal) == true);
        Assert.That(received.Select(request => request.TraceParent), Is.EqualTo(attempts.Select(attempt => attempt.Id)), "the retry carries its own traceparent");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, ActivityTraceId traceId, ActivitySpanId parent)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
        return await client.SendAsync(request);
    }

    /// <summary>The trace's spans once its request span has ended (it ends just after the answer is sent).</summary>
    private static async Task<Activity[]> WaitForServerSpanAsync(SpanCollector spans, ActivityTraceId traceId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var trace = spans.Of(traceId);
            if (trace.Any(span => span.Kind == ActivityKind.Server))
            {
                return trace;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"No request span for trace {traceId} within 10 s; spans: {string.Join(", ", trace.Select(span => span.DisplayName))}");
            }

            await Task.Delay(20);
        }
    }

    private static List<Activity> AncestorsOf(Activity span, Activity[] trace)
    {
        var ancestors = new List<Activity>();
        var parentId = span.ParentSpanId;
        while (trace.FirstOrDefault(candidate => candidate.SpanId == parentId) is { } parent)
        {
            ancestors.Add(parent);
            parentId = parent.ParentSpanId;
        }

        return ancestors;
    }
}
