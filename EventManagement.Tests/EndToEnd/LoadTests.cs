using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Many concurrent POST /addEvent through the real Api: every event answered 201 is stored exactly once (no lost
/// and no duplicated events), and none answered 503 is stored. Each test has its own Api (the overload test opens
/// its breaker); the MockApi is shared, starts with its overload off, and is reset before every test.
/// </summary>
[Category("EndToEnd")]
public sealed class LoadTests
{
    private const int SeedEvents = 4;

    private ServiceProcess? _mockApi;
    private ServiceProcess? _api;
    private ServiceProcess? _overloadApi;
    private MockApiControl _mock = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _mockApi = EndToEndServices.StartMockApi(("MockApi__OverloadEnabled", "false"));
        // Patient attempts: this test is about every event stored once, not latency. With the default 2 s, a machine
        // under load (here: load average 35 on 2 cores) turned 408 of the 500 into 504s and opened the breaker.
        _api = EndToEndServices.StartApi(_mockApi, ("ExternalApi__AttemptTimeout", "00:00:20"), ("ExternalApi__TotalTimeout", "00:00:25"));
        _overloadApi = EndToEndServices.StartApi(_mockApi);
        _mock = new MockApiControl(_mockApi);
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _api, _overloadApi);
    }

    [OneTimeTearDown]
    public async Task StopServices()
    {
        _mock?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_overloadApi is not null)
        {
            await _overloadApi.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task ResetMockApi() => _mock.ResetAsync();

    [Test]
    public async Task AddEvent_500ConcurrentWithoutOverload_AllAnswer201AndEachIsStoredOnce()
    {
        using var client = CreateLoadClient(_api!);

        var (results, elapsed) = await PostConcurrentlyAsync(client, 500);

        var upstream = await _mock.StatsAsync(MockApiControl.AddEvent);
        Report(results, elapsed, upstream);
        Assert.That(results.Where(static result => result.Status != HttpStatusCode.Created).Select(static result => result.ToString()), Is.Empty, "every POST answers 201");
        Assert.That(results.Select(static result => result.Id).Distinct().Count(), Is.EqualTo(results.Length), "every event gets its own id");

        var stored = await client.GetArrayAsync("/getEvents");
        Assert.That(stored, Has.Count.EqualTo(SeedEvents + results.Length), "the seed's events and the 500 new ones, nothing else");
        AssertStoredExactly(stored, results);
    }

    [Test]
    public async Task AddEvent_150ConcurrentUnderOverload_StoresEvery201OnceAndNo503()
    {
        using var client = CreateLoadClient(_overloadApi!);
        // Naming an Overload… setting restarts the cycle: in every 15 calls, 5 succeed and 10 fail with 503.
        await _mock.SetFaultsAsync("""{"OverloadEnabled":true}""");

        var (results, elapsed) = await PostConcurrentlyAsync(client, 150);

        var upstream = await _mock.StatsAsync(MockApiControl.AddEvent);
        Report(results, elapsed, upstream);
        var created = results.Count(static result => result.Status == HttpStatusCode.Created);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                results.Where(static result => result.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).Select(static result => result.ToString()),
                Is.Empty,
                "under overload a POST is stored (201) or refused (503)");
            // The MockApi's first 5 calls are first attempts (a retry needs a failed call first), and succeed.
            Assert.That(created, Is.GreaterThanOrEqualTo(5), "201 answers");
            Assert.That(results.Count(static result => result.Status == HttpStatusCode.ServiceUnavailable), Is.Positive, "503 answers");
        }

        var stored = await client.GetArrayAsync("/getEvents");
        Assert.That(stored, Has.Count.EqualTo(SeedEvents + created), "the seed's events and those answered 201, nothing else");
        AssertStoredExactly(stored, results);
    }

    private static HttpClient CreateLoadClient(ServiceProcess api) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 })
        {
            BaseAddress = api.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Fires <paramref name="count"/> POSTs at once, each with its own name, and waits for all answers.</summary>
    private static async Task<(PostResult[] Results, TimeSpan Elapsed)> PostConcurrentlyAsync(HttpClient client, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(1, count).Select(i => PostAsync(client, $"Load {run} {i}")));
        return (results, clock.Elapsed);
    }

    private static async Task<PostResult> PostAsync(HttpClient client, string name)
    {
        using var response = await client.PostEventAsync(name);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body);
        return new PostResult(name, response.StatusCode, json?["event"].StringAt("id"), json.StringAt("message"));
    }

    /// <summary>
    /// Every event answered 201 appears exactly once, under the id it was answered with; no event answered
    /// anything else appears at all (the names are unique, so they identify the POSTs).
    /// </summary>
    private static void AssertStoredExactly(JsonArray stored, PostResult[] results)
    {
        var idsByName = stored
            .GroupBy(static item => item.StringAt("name") ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(static group => group.Key, static group => group.Select(static item => item.StringAt("id")).ToList(), StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var result in results)
        {
            var ids = idsByName.GetValueOrDefault(result.Name) ?? [];
            if (result.Status == HttpStatusCode.Created && (ids.Count != 1 || ids[0] != result.Id))
            {
                wrong.Add($"{result} is stored as [{string.Join(", ", ids)}]");
            }
            else if (result.Status != HttpStatusCode.Created && ids.Count != 0)
            {
                wrong.Add($"{result} is stored anyway as [{string.Join(", ", ids)}]");
            }
        }

        Assert.That(wrong, Is.Empty, "events stored wrongly");
    }

    private static void Report(PostResult[] results, TimeSpan elapsed, RouteCounts upstream)
    {
        var answers = results
            .GroupBy(static result => $"{(int)result.Status}{(result.Message is null ? string.Empty : $" \"{result.Message}\"")}")
            .OrderBy(static group => group.Key, StringComparer.Ordinal)
            .Select(static group => $"{group.Count()} × {group.Key}");
        TestContext.Out.WriteLine($"{results.Length} concurrent POST /addEvent in {elapsed.TotalMilliseconds:0} ms: {string.Join(", ", answers)}");
        TestContext.Out.WriteLine($"MockApi POST /addEvent: {upstream}");
    }

    private sealed record PostResult(string Name, HttpStatusCode Status, string? Id, string? Message)
    {
        public override string ToString() => $"'{Name}' → {(int)Status} {Message ?? Id}";
    }
}
