using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// A real signal in the middle of a request: the Api turns unready at once, keeps serving through the drain,
/// finishes the request in flight, and exits 0. The MockApi is slow (2 s per event) so that the request is
/// certainly still in flight when the signal comes; the Api drains for 5 s. The Api's attempt timeout is raised to
/// 5 s: its default (2 s) is no longer than the lookup itself, and the request would end in a 504 instead.
/// </summary>
[Category("EndToEnd")]
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan EventDelay = TimeSpan.FromSeconds(2);
    /// <summary>Long enough that "503 at once" and "503 through the drain" keep seconds of margin on a busy machine.</summary>
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    private ServiceProcess? _mockApi;
    private MockApiControl _mock = null!;

    [OneTimeSetUp]
    public async Task StartMockApi()
    {
        _mockApi = EndToEndServices.StartMockApi(("MockApi__EventDelay", "00:00:02"));
        _mock = new MockApiControl(_mockApi);
        await EndToEndServices.WaitUntilReadyAsync(_mockApi);
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

    [TestCase("SIGTERM")]
    [TestCase("SIGINT")]
    public async Task Api_SignalDuringARequest_TurnsUnreadyFinishesTheRequestAndExitsZero(string signal)
    {
        await using var api = EndToEndServices.StartApi(
            _mockApi!,
            ("ExternalApi__AttemptTimeout", "00:00:05"),
            ("Shutdown__DrainDelay", DrainDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
            ("Shutdown__Timeout", "00:00:15"),
            ("Requests__Timeout", "00:00:10"));
        await EndToEndServices.WaitUntilReadyAsync(api);
        using var client = api.CreateClient();
        // A probe that a loaded machine answers slowly is still answered: only a refused connection ends the polls.
        using var probes = api.CreateClient(DrainDelay);

        var before = await _mock.StatsAsync(MockApiControl.GetEventById);
        var inFlight = client.GetAsync("/getEventsByUserId/1");
        // Both event lookups have reached the MockApi, which holds them for 2 s: the request is in the Api's hands.
        await _mock.WaitForCallsAsync(MockApiControl.GetEventById, before.Calls + 2, TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        if (signal == "SIGTERM")
        {
            api.SendSigterm();
        }
        else
        {
            api.SendSigint();
        }

        var readyz = await PollReadyzThroughTheDrainAsync(probes, clock);
        var first503 = readyz.FirstOrDefault(static answer => answer.Status == HttpStatusCode.ServiceUnavailable);
        var last503 = readyz.LastOrDefault(static answer => answer.Status == HttpStatusCode.ServiceUnavailable);
        TestContext.Out.WriteLine($"{signal}: /readyz answered 503 from {first503?.After.TotalMilliseconds:0} ms to {last503?.After.TotalMilliseconds:0} ms after the signal ({readyz.Count} polls; last: {readyz[^1]})");
        Assert.That(first503, Is.Not.Null, $"/readyz must answer 503 during the drain; answers: {string.Join(", ", readyz)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first503!.After, Is.LessThan(DrainDelay), "/readyz answers 503 at once");
            // Polls sent well inside the drain must be answered; the last 503 came from late in it.
            Assert.That(readyz.Where(static answer => answer.SentAt < DrainDelay * 0.9 && answer.Status is null), Is.Empty, "/readyz keeps answering through the drain");
            Assert.That(last503!.SentAt, Is.GreaterThan(DrainDelay / 2), "/readyz keeps answering 503 through the drain");
            Assert.That(readyz.SkipWhile(static answer => answer.Status != HttpStatusCode.ServiceUnavailable).Where(static answer => answer.Status is not (HttpStatusCode.ServiceUnavailable or null)), Is.Empty, "once unready, never ready again");
            Assert.That(JsonNode.Parse(first503.Body)?["status"]?.GetValue<string>(), Is.EqualTo("Unhealthy"), first503.Body);
        }

        using var response = await inFlight;
        var body = await response.Content.ReadAsStringAsync();
        var requestDone = clock.Elapsed;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        EndToEndServices.AssertJson(JsonNode.Parse(body), """
            [
              { "id": "event-1", "name": "Event 1", "userId": "1", "details": "This is the first event" },
              { "id": "event-3", "name": "Event 3", "userId": "1", "details": "This is the third event" }
            ]
            """, "the request in flight when the signal came");

        var exited = await api.WaitForExitAsync(ShutdownTimeout);
        TestContext.Out.WriteLine($"{signal}: request done {requestDone.TotalMilliseconds:0} ms and process gone {clock.ElapsedMilliseconds} ms after the signal");
        Assert.That(exited, Is.True, $"the Api must exit within its shutdown timeout:\n{api.Output}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(api.ExitCode, Is.Zero, api.Output);
            Assert.That(api.Output, Does.Contain("draining for"), "the drain is logged");
        }
    }

    /// <summary>
    /// Polls /readyz quickly from the signal until the Api stops answering (the drain is over and it no longer
    /// accepts) or a deadline. The first polls may still see 200: the signal is handled asynchronously.
    /// </summary>
    private static async Task<List<ReadyzAnswer>> PollReadyzThroughTheDrainAsync(HttpClient probes, Stopwatch sinceSignal)
    {
        var answers = new List<ReadyzAnswer>();
        while (sinceSignal.Elapsed < DrainDelay + EventDelay + TimeSpan.FromSeconds(2))
        {
            var sentAt = sinceSignal.Elapsed;
            try
            {
                using var response = await probes.GetAsync("/readyz");
                answers.Add(new ReadyzAnswer(sentAt, sinceSignal.Elapsed, response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // No longer accepting: the drain is over.
                answers.Add(new ReadyzAnswer(sentAt, sinceSignal.Elapsed, null, exception.GetBaseException().Message));
                break;
            }

            await Task.Delay(10);
        }

        return answers;
    }

    private sealed record ReadyzAnswer(TimeSpan SentAt, TimeSpan After, HttpStatusCode? Status, string Body)
    {
        public override string ToString() => $"{SentAt.TotalMilliseconds:0}–{After.TotalMilliseconds:0} ms: {(Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : Body)}";
    }
}
