using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.EndToEnd;

/// <summary>Starts the real MockApi and Api processes for the end-to-end fixtures, and calls them.</summary>
internal static class EndToEndServices
{
    public const string MockApiProject = "EventManagement.MockApi";
    public const string ApiProject = "EventManagement.Api";

    /// <summary>How long a program may take to start on a busy two-core machine before the fixture gives up.</summary>
    public static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts the MockApi on a port the system picks, without waiting for it. Random connection drops are off (tests
    /// must be deterministic); <paramref name="settings"/> come after, so a test about drops can turn them back on.
    /// </summary>
    public static ServiceProcess StartMockApi(params (string Name, string Value)[] settings) => StartMockApi(null, settings);

    /// <summary>As <see cref="StartMockApi((string Name, string Value)[])"/>, on <paramref name="port"/> (to restart on the same one).</summary>
    public static ServiceProcess StartMockApi(int port, params (string Name, string Value)[] settings) => StartMockApi((int?)port, settings);

    /// <summary>
    /// Starts the Api on a port the system picks, pointed at <paramref name="mockApi"/>, without waiting for it
    /// (it waits until the MockApi has bound, to know its address). No drain delay on SIGTERM (it only slows the
    /// fixtures' tear-down); the shutdown tests set their own.
    /// </summary>
    public static ServiceProcess StartApi(ServiceProcess mockApi, params (string Name, string Value)[] settings) => StartApi(null, mockApi, settings);

    /// <summary>As <see cref="StartApi(ServiceProcess, (string Name, string Value)[])"/>, on <paramref name="port"/>.</summary>
    public static ServiceProcess StartApi(int port, ServiceProcess mockApi, params (string Name, string Value)[] settings) =>
        StartApi((int?)port, mockApi, settings);

    private static ServiceProcess StartMockApi(int? port, (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["MockApi__RandomFailureRate"] = "0" };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return ServiceProcess.Start(MockApiProject, environment, port);
    }

    private static ServiceProcess StartApi(int? port, ServiceProcess mockApi, (string Name, string Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(mockApi);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["EXTERNAL_API_BASE_URL"] = mockApi.BaseAddress.ToString().TrimEnd('/'),
            ["Shutdown__DrainDelay"] = "00:00:00",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return ServiceProcess.Start(ApiProject, environment, port);
    }

    /// <summary>
    /// Waits, side by side, until every process serves: /healthz for the MockApi, /readyz <c>Healthy</c> for the Api
    /// (it reaches its external API and Redis; a 200 alone may be <c>Degraded</c>), so that a test's first call
    /// never races the start-up.
    /// </summary>
    public static async Task WaitUntilReadyAsync(params ServiceProcess[] processes)
    {
        await Task.WhenAll(processes.Select(static process => process.WaitUntilHealthyAsync(StartPatience)));
        await Task.WhenAll(processes
            .Where(static process => process.Project == ApiProject)
            .Select(static process => process.WaitUntilReadinessAsync("Healthy", StartPatience)));
    }

    /// <summary>Polls the Api's /readyz until its top-level status is <paramref name="status"/>; returns the body.</summary>
    public static async Task<string> WaitUntilReadinessAsync(this ServiceProcess api, string status, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var http = api.CreateClient(TimeSpan.FromSeconds(2));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = "(no answer)";
        while (clock.Elapsed < patience)
        {
            if (api.HasExited)
            {
                throw new InvalidOperationException($"The Api exited with {api.ExitCode} before /readyz was {status}:\n{api.Output}");
            }

            try
            {
                using var response = await http.GetAsync("/readyz");
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {body}";
                if (JsonNode.Parse(body).StringAt("status") == status)
                {
                    return body;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // Not listening or not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"/readyz was not {status} within {patience}; last answer: {last}\n{api.Output}");
    }

    public static HttpClient CreateClient(this ServiceProcess process, TimeSpan? timeout = null) =>
        new() { BaseAddress = process.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>POST /addEvent with a JSON body built from the arguments (userId as a string).</summary>
    public static Task<HttpResponseMessage> PostEventAsync(
        this HttpClient api, string name, string userId = "3", string? details = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["userId"] = userId };
        if (details is not null)
        {
            body["details"] = details;
        }

        return api.PostJsonAsync("/addEvent", body.ToJsonString(), cancellationToken);
    }

    /// <summary>POST with exactly the given JSON text as body.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, CancellationToken cancellationToken = default) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())
        ?? throw new InvalidOperationException("The body is JSON null.");

    /// <summary>GET <paramref name="path"/>, which must answer 200 with a JSON array.</summary>
    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {body}");
        return JsonNode.Parse(body)?.AsArray() ?? throw new InvalidOperationException($"GET {path} answered JSON null.");
    }

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expectedJson"/> (member order and spacing aside).</summary>
    public static void AssertJson(JsonNode? actual, string expectedJson, string what)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.That(
            JsonNode.DeepEquals(actual, expected),
            Is.True,
            $"{what}:\n expected {expected?.ToJsonString()}\n      got {actual?.ToJsonString()}");
    }

    /// <summary>The value of a string member, or null when it is missing or not a string.</summary>
    public static string? StringAt(this JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
