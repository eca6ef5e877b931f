using System.Diagnostics;
using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>EventDelay on the real clock: the wait happens, and many waits overlap.</summary>
/// <remarks>MockApiFakeClockTests checks the same to the tick; this shows it on the system timer too.</remarks>
[TestFixture]
public sealed class MockApiEventDelayTests
{
    private static readonly TimeSpan EventDelay = TimeSpan.FromMilliseconds(300);

    // The runtime's timers run on a coarser clock than Stopwatch (a few ms on Linux), so a wait can look that
    // much shorter; the margin keeps the test deterministic without weakening what it shows.
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(20);

    private MockApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartMockApi()
    {
        _factory = new MockApiFactory(("MockApi:EventDelay", "00:00:00.3"));
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopMockApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [SetUp]
    public Task ResetAsync() => _client.ResetMockApiAsync();

    [TestCase("event-2", HttpStatusCode.OK)]
    [TestCase("no-such-event", HttpStatusCode.NotFound)]
    public async Task GetEventById_AnyId_TakesAtLeastEventDelay(string id, HttpStatusCode expected)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await _client.GetAsync($"/getEventById/{id}");
        stopwatch.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected));
            Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(EventDelay - TimerResolution));
        }
    }

    [Test]
    public async Task GetEventById_FiftyConcurrentCalls_FinishInAboutOneDelayNotFifty()
    {
        var stopwatch = Stopwatch.StartNew();
        var responses = await Task.WhenAll(
            Enumerable.Range(0, 50).Select(i => _client.GetAsync($"/getEventById/event-{(i % 4) + 1}")));
        stopwatch.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(responses.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(EventDelay - TimerResolution));
            // Serial waits would take 50 × 300 ms = 15 s; a fifth of that leaves room for a slow, busy machine.
            Assert.That(stopwatch.Elapsed, Is.LessThan(EventDelay * 10));
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
