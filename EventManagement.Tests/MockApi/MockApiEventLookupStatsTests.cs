using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Tests.MockApi;

/// <summary>
/// What the overload figures need from the MockApi: GET /getEventById's peak in flight and duplicate ids in
/// /__admin/stats, and the EventFailureRate fault (503 at once). Delays run on a fake clock.
/// </summary>
[TestFixture]
public sealed class MockApiEventLookupStatsTests
{
    private static readonly TimeSpan EventDelay = TimeSpan.FromMilliseconds(500);

    private readonly CountingFakeTimeProvider _clock = new();
    private MockApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartMockApi()
    {
        _factory = new MockApiFactory(services => services.AddSingleton<TimeProvider>(_clock), ("MockApi:EventDelay", "00:00:00.5"));
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

    [Test]
    public async Task Stats_WhileAndAfterConcurrentLookups_ShowThePeakInFlightAndTheIdsAskedTwice()
    {
        var timers = _clock.TimersCreated;
        var ids = new[] { "event-1", "event-2", "event-3", "event-1", "event-2" };
        var lookups = ids.Select(id => _client.GetAsync($"/getEventById/{id}")).ToList();
        await _clock.WaitForTimersAsync(timers + ids.Length);

        var during = await EventLookupsAsync();
        _clock.Advance(EventDelay);
        foreach (var response in await Task.WhenAll(lookups))
        {
            response.Dispose();
        }

        var after = await EventLookupsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(during, Is.EqualTo((InFlight: 5, Peak: 5, Distinct: 3, Repeated: 2)));
            Assert.That(after.InFlight, Is.Zero);
            Assert.That(after.Peak, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task GetEventById_WithEventFailureRate1_Answers503AtOnceAndCountsAFailure()
    {
        (await _client.PutFaultsAsync("""{ "EventFailureRate": 1 }""")).Dispose();

        using var response = await _client.GetAsync("/getEventById/event-1");

        var stats = await StatsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(stats["routes"]!["GET /getEventById"]!["failures"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(stats["eventLookups"]!["distinctIds"]!.GetValue<int>(), Is.Zero, "a refusal is no lookup");
        });
    }

    [Test]
    public async Task Reset_AfterEventFailureRateAndLookups_TurnsTheFaultOffAndClearsTheLookupStats()
    {
        (await _client.PutFaultsAsync("""{ "EventFailureRate": 1 }""")).Dispose();

        await _client.ResetMockApiAsync();

        var timers = _clock.TimersCreated;
        var lookup = _client.GetAsync("/getEventById/event-1");
        await _clock.WaitForTimersAsync(timers + 1);
        _clock.Advance(EventDelay);
        using var response = await lookup;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task PutFaults_WithEventFailureRateOutOfRange_IsRefused()
    {
        using var response = await _client.PutFaultsAsync("""{ "EventFailureRate": 2 }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EventFailureRate must be between 0 and 1"));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> StatsAsync()
    {
        using var response = await _client.GetAsync("/__admin/stats");
        return (await response.ReadJsonAsync())!;
    }

    private async Task<(int InFlight, int Peak, int Distinct, int Repeated)> EventLookupsAsync()
    {
        var lookups = (await StatsAsync())["eventLookups"]!;
        return (lookups["inFlight"]!.GetValue<int>(), lookups["peakInFlight"]!.GetValue<int>(),
            lookups["distinctIds"]!.GetValue<int>(), lookups["idsLookedUpMoreThanOnce"]!.GetValue<int>());
    }
}
