// baseline: what GET /getEventsByUserId costs with nothing but the work itself, for scripts/bench.sh's
// distinct-keys section. One upstream read of the user (HttpClient, source-generated JSON), the user's events from an
// in-memory cache (fetched concurrently on a miss, left out when the upstream answers 404), the JSON answer.
// No logging, metrics, validation, resilience or problem details: the Api's CPU per request is compared with this.
// Usage: PORT=5000 UPSTREAM=http://127.0.0.1:3001 dotnet baseline.dll
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("PORT") ?? "5000"}");
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));

var app = builder.Build();
var upstream = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseCookies = false })
{
    BaseAddress = new Uri(Environment.GetEnvironmentVariable("UPSTREAM") ?? "http://127.0.0.1:3001"),
};
var events = new ConcurrentDictionary<string, Event>();

app.MapGet("/healthz", () => "ok");
app.MapGet("/getUsers", async (CancellationToken token) =>
    Results.Ok(await upstream.GetFromJsonAsync("/getUsers", BaselineJson.Default.ListUser, token)));
app.MapGet("/getEventsByUserId/{id}", async (string id, CancellationToken token) =>
{
    using var response = await upstream.GetAsync($"/getUserById/{Uri.EscapeDataString(id)}", token);
    if (response.StatusCode == HttpStatusCode.NotFound)
    {
        return Results.NotFound();
    }

    response.EnsureSuccessStatusCode();
    var user = await response.Content.ReadFromJsonAsync(BaselineJson.Default.User, token);
    var ids = user?.Events ?? [];
    var found = new Event?[ids.Count];
    List<Task>? misses = null;
    for (var i = 0; i < ids.Count; i++)
    {
        if (events.TryGetValue(ids[i], out var hit))
        {
            found[i] = hit;
        }
        else
        {
            (misses ??= []).Add(FetchAsync(ids[i], i));
        }
    }

    if (misses is not null)
    {
        await Task.WhenAll(misses);
    }

    return Results.Ok(found.OfType<Event>().ToArray());

    async Task FetchAsync(string eventId, int index)
    {
        using var answer = await upstream.GetAsync($"/getEventById/{Uri.EscapeDataString(eventId)}", token);
        if (answer.StatusCode != HttpStatusCode.NotFound)
        {
            answer.EnsureSuccessStatusCode();
            found[index] = events[eventId] = (await answer.Content.ReadFromJsonAsync(BaselineJson.Default.Event, token))!;
        }
    }
});

app.Run();

internal sealed record User(string Id, string? UserName, string? Email, List<string>? Events);

internal sealed record Event(string Id, string? Name, string? UserId, string? Details);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<User>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Event[]))]
internal sealed partial class BaselineJson : JsonSerializerContext;
