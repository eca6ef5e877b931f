using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Tests.MockApi;

/// <summary>The delays, measured on a fake clock: exact to the tick, and no test waits in real time.</summary>
[TestFixture]
public sealed class MockApiFakeClockTests : MockApiTestBase
{
    private static readonly TimeSpan EventDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OverloadFailureDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly CountingFakeTimeProvider _clock = new();

    private protected override MockApiFactory CreateFactory() =>
        new(
            services => services.AddSingleton<TimeProvider>(_clock),
            ("MockApi:EventDelay", "00:00:00.5"),
            ("MockApi:OverloadFailureDelay", "00:00:00.1"));

    [TestCase("event-1", HttpStatusCode.OK)]
    [TestCase("no-such-event", HttpStatusCode.NotFound)]
    public async Task GetEventById_AnyId_AnswersOnlyOnceEventDelayHasPassed(string id, HttpStatusCode expected)
    {
        var timers = _clock.TimersCreated;
        var request = Client.GetAsync($"/getEventById/{id}");
        await _clock.WaitForTimersAsync(timers + 1);

        _clock.Advance(EventDelay - Tick);
        Assert.That(request.IsCompleted, Is.False, "answered before EventDelay");
        _clock.Advance(Tick);

        using var response = await request;
        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task GetEventById_TwoHundredConcurrentCalls_AllWaitTheSameDelayAtOnce()
    {
        var timers = _clock.TimersCreated;
        var requests = Enumerable.Range(0, 200)
            .Select(i => Client.GetAsync($"/getEventById/event-{(i % 4) + 1}"))
            .ToList();

        // All 200 delays are running at the same time: the waits do not hold threads or queue behind each other.
        await _clock.WaitForTimersAsync(timers + 200);
        _clock.Advance(EventDelay);

        var responses = await Task.WhenAll(requests);
        Assert.That(responses.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task AddEvent_Overloaded_Answers503OnlyAfterOverloadFailureDelay()
    {
        for (var call = 0; call < 5; call++)
        {
            (await Client.AddEventAsync($"new-{call}")).Dispose();
        }

        var timers = _clock.TimersCreated;
        var request = Client.AddEventAsync("refused");
        await _clock.WaitForTimersAsync(timers + 1);

        _clock.Advance(OverloadFailureDelay - Tick);
        Assert.That(request.IsCompleted, Is.False, "answered before OverloadFailureDelay");
        _clock.Advance(Tick);

        using var response = await request;
        await response.AssertJsonAsync(HttpStatusCode.ServiceUnavailable, MockApiHttp.OverloadBody);
    }

    [Test]
    public async Task AddEvent_AddEventDelaySet_AnswersOnlyAfterIt()
    {
        (await Client.PutFaultsAsync("""{ "AddEventDelay": "00:00:30" }""")).Dispose();
        var timers = _clock.TimersCreated;
        var request = Client.AddEventAsync("slow");
        await _clock.WaitForTimersAsync(timers + 1);

        _clock.Advance(TimeSpan.FromSeconds(30) - Tick);
        Assert.That(request.IsCompleted, Is.False, "answered before AddEventDelay");
        _clock.Advance(Tick);

        using var response = await request;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AddEvent_InvalidCall_AnswersWithoutWaiting()
    {
        (await Client.PutFaultsAsync("""{ "AddEventDelay": "00:00:30" }""")).Dispose();
        var timers = _clock.TimersCreated;

        using var response = await Client.AddEventAsync("stranger", userId: "nobody");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(_clock.TimersCreated, Is.EqualTo(timers), "no delay for a refused call");
        }
    }
}
