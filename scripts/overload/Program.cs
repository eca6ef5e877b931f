// overload-bench: the three scenarios of the overload benchmark (SPEC section 7), against a running Api and MockApi.
// Usage: overload-bench SCENARIO API_URL MOCKAPI_URL
//   burst     20 concurrent cold 500-event users (o500-01..20), a cold 1-event user (o1-001) 1 s in
//   deadline  30 concurrent cold 500-event users (o500-21..50); the Api runs with Requests__Timeout=00:00:05
//   failing   every GET /getEventById answers 503; 100 concurrent cold 1-event users (o1-101..200); then o1-201
// Prints one line per figure: "figure|measured|target|met" (or missed). The MockApi is reset before each scenario.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: overload-bench burst|deadline|failing API_URL MOCKAPI_URL");
    return 2;
}

var (scenario, api, mock) = (args[0], args[1].TrimEnd('/'), args[2].TrimEnd('/'));
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, UseCookies = false })
{
    Timeout = TimeSpan.FromSeconds(120),
};
var inv = CultureInfo.InvariantCulture;
const double Delay = 0.5;
const int Budget = 512;

(await http.PostAsync($"{mock}/__admin/reset", null)).EnsureSuccessStatusCode();

switch (scenario)
{
    case "burst":
    {
        var clock = Stopwatch.StartNew();
        var big = Enumerable.Range(1, 20).Select(i => GetAsync($"o500-{i:00}", 500, clock)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var small = await GetAsync("o1-001", 1, clock);
        var answers = await Task.WhenAll(big);
        var stats = await LookupStatsAsync();
        var ideal = 10_000.0 / Budget * Delay;
        var last = answers.Max(a => a.End);
        Row("burst: 500-event users answered 200, complete, in order", $"{answers.Count(a => a.Complete)}/20", "20/20", answers.All(a => a.Complete));
        Row("burst: last answer / ideal (10,000 / 512 x 0.5 s)", $"{last:0.00} s / {ideal:0.00} s = {last / ideal:0.00}", "<= 1.3", last / ideal <= 1.3);
        Row("burst: event ids looked up more than once", stats.Repeated.ToString(inv), "0", stats.Repeated == 0);
        Row("burst: peak lookups in flight at the external API", stats.Peak.ToString(inv), "<= 512", stats.Peak <= 512);
        Row("burst: 1-event user asked 1 s in, answered 200 in", $"{small.Status} in {small.Elapsed:0.00} s", "200 within 3 s", small.Complete && small.Elapsed <= 3);
        break;
    }

    case "deadline":
    {
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(21, 30).Select(i => GetAsync($"o500-{i:00}", 500, clock)));
        var stats = await LookupStatsAsync();
        var served = answers.Count(a => a.Complete);
        var refused = answers.Where(a => a.Status == 503 && a.RetryAfter && a.Problem).ToArray();
        var timedOut = answers.Count(a => a.Status == 504 && a.Problem);
        var other = answers.Length - served - refused.Length - timedOut;
        var wasted = stats.Calls - (500L * served);
        var wastedShare = stats.Calls == 0 ? 0 : (double)wasted / stats.Calls;
        var refusedFast = refused.Count(a => a.Elapsed <= 1.0);
        var latest = answers.Max(a => a.Elapsed);
        Row("deadline 5 s: latest answer", $"{latest:0.00} s", "<= 5.5 s", latest <= 5.5);
        Row("deadline 5 s: answers 200 / 503+Retry-After / 504 / other", $"{served} / {refused.Length} / {timedOut} / {other}", "other 0, 504 <= 2", other == 0 && timedOut <= 2);
        Row("deadline 5 s: refusals within 1 s", $"{refusedFast}/{refused.Length}", ">= 80%", refused.Length == 0 || refusedFast >= 0.8 * refused.Length);
        Row("deadline 5 s: users served", served.ToString(inv), ">= 5", served >= 5);
        Row("deadline 5 s: lookups spent on requests not served", $"{wasted} of {stats.Calls} = {wastedShare:P1}", "<= 15%", wastedShare <= 0.15);
        Row("deadline 5 s: refusal time median / max", refused.Length == 0 ? "-" : $"{Median(refused.Select(a => a.Elapsed)):0.00} s / {refused.Max(a => a.Elapsed):0.00} s", "info", true);
        break;
    }

    case "failing":
    {
        await PutFaultsAsync("""{ "EventFailureRate": 1 }""");
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(101, 100).Select(i => GetAsync($"o1-{i:000}", 1, clock)));
        var stats = await LookupStatsAsync();
        await PutFaultsAsync("""{ "EventFailureRate": 0 }""");
        var after = await GetAsync("o1-201", 1, Stopwatch.StartNew());
        var problems = answers.Count(a => a.Status >= 500 && a.Problem);
        var latest = answers.Max(a => a.Elapsed);
        var perRequest = stats.Calls / 100.0;
        Row("failing: answers that are a 5xx problem", $"{problems}/100 ({string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Key} x{g.Count()}"))})", "100/100", problems == 100);
        Row("failing: latest answer", $"{latest:0.00} s", "<= 3 s", latest <= 3);
        Row("failing: lookups received per request", $"{stats.Calls} / 100 = {perRequest:0.00}", "<= 1.3", perRequest <= 1.3);
        Row("failing: cold user right after the fault is cleared", $"{after.Status} in {after.Elapsed:0.00} s", "200, complete", after.Complete);
        break;
    }

    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}'");
        return 2;
}

return 0;

async Task<Answer> GetAsync(string user, int events, Stopwatch clock)
{
    var start = clock.Elapsed.TotalSeconds;
    try
    {
        using var response = await http.GetAsync($"{api}/getEventsByUserId/{user}");
        var body = await response.Content.ReadAsStringAsync();
        var end = clock.Elapsed.TotalSeconds;
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        var complete = false;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            var ids = json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToArray();
            complete = ids.Length == events && ids.Select((id, i) => id == $"{user}-{i + 1:000}").All(ok => ok);
        }

        return new Answer((int)response.StatusCode, start, end, complete, problem, response.Headers.RetryAfter is not null);
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
    {
        return new Answer(0, start, clock.Elapsed.TotalSeconds, false, false, false);
    }
}

async Task<(long Calls, int Peak, int Repeated)> LookupStatsAsync()
{
    using var json = JsonDocument.Parse(await http.GetStringAsync($"{mock}/__admin/stats"));
    var root = json.RootElement;
    var lookups = root.GetProperty("eventLookups");
    return (root.GetProperty("routes").GetProperty("GET /getEventById").GetProperty("calls").GetInt64(),
        lookups.GetProperty("peakInFlight").GetInt32(),
        lookups.GetProperty("idsLookedUpMoreThanOnce").GetInt32());
}

async Task PutFaultsAsync(string json)
{
    using var content = new StringContent(json, Encoding.UTF8, "application/json");
    (await http.PutAsync($"{mock}/__admin/faults", content)).EnsureSuccessStatusCode();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
}

void Row(string figure, string measured, string target, bool met) =>
    Console.WriteLine($"{figure}|{measured}|{target}|{(target == "info" ? "" : met ? "met" : "missed")}");

internal sealed record Answer(int Status, double Start, double End, bool Complete, bool Problem, bool RetryAfter)
{
    public double Elapsed => End - Start;
}
