using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.EndToEnd;

/// <summary>The MockApi's control surface (/__admin): stats, recorded requests, reset and fault settings.</summary>
internal sealed class MockApiControl(Uri mockApi) : IDisposable
{
    public const string GetUsers = "GET /getUsers";
    public const string GetUserById = "GET /getUserById";
    public const string GetEvents = "GET /getEvents";
    public const string GetEventById = "GET /getEventById";
    public const string AddEvent = "POST /addEvent";

    private readonly HttpClient _http = new() { BaseAddress = mockApi, Timeout = TimeSpan.FromSeconds(15) };

    public MockApiControl(ServiceProcess mockApi)
        : this(mockApi?.BaseAddress ?? throw new ArgumentNullException(nameof(mockApi)))
    {
    }

    /// <summary>The counters of <paramref name="route"/> (e.g. <see cref="AddEvent"/>).</summary>
    public async Task<RouteCounts> StatsAsync(string route)
    {
        var body = await _http.GetStringAsync("/__admin/stats");
        var counts = JsonNode.Parse(body)?["routes"]?[route]
            ?? throw new InvalidOperationException($"GET /__admin/stats has no route '{route}': {body}");
        return new RouteCounts(counts["calls"]!.GetValue<long>(), counts["failures"]!.GetValue<long>());
    }

    /// <summary>The most GET /getEventById calls the MockApi has held at once since its last reset.</summary>
    public async Task<int> PeakEventLookupsInFlightAsync()
    {
        var body = await _http.GetStringAsync("/__admin/stats");
        return JsonNode.Parse(body)?["eventLookups"]?["peakInFlight"]?.GetValue<int>()
            ?? throw new InvalidOperationException($"GET /__admin/stats has no eventLookups.peakInFlight: {body}");
    }

    /// <summary>GET /__admin/requests: the requests to the external API's routes since the last reset, oldest first.</summary>
    public async Task<IReadOnlyList<(string Method, string Path, string? TraceParent)>> RequestsAsync()
    {
        var body = await _http.GetStringAsync("/__admin/requests");
        return [.. JsonNode.Parse(body)!.AsArray().Select(static request => (
            request!["method"]!.GetValue<string>(),
            request["path"]!.GetValue<string>(),
            request["traceParent"]?.GetValue<string>()))];
    }

    /// <summary>POST /__admin/reset: seed data, counters, overload cycle and fault settings as at start-up.</summary>
    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync("/__admin/reset", content: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "POST /__admin/reset");
    }

    /// <summary>PUT /__admin/faults with a partial JSON body, e.g. <c>{"RandomFailureRate":1}</c>.</summary>
    public async Task SetFaultsAsync(string json)
    {
        using var response = await _http.PutAsync("/__admin/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"PUT /__admin/faults {json}: {body}");
    }

    /// <summary>Polls the stats until <paramref name="route"/> has received at least <paramref name="calls"/> calls.</summary>
    public async Task WaitForCallsAsync(string route, long calls, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        RouteCounts counts;
        while ((counts = await StatsAsync(route)).Calls < calls)
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{route} received {counts.Calls} calls in {timeout}, expected at least {calls}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose() => _http.Dispose();
}
