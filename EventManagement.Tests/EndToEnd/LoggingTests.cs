using System.Diagnostics;
using System.Text.Json;

namespace EventManagement.Tests.EndToEnd;

/// <summary>What the real Api writes to its console: one line per request, JSON outside Development, text inside.</summary>
[Category("EndToEnd")]
public sealed class LoggingTests
{
    /// <summary>The MockApi's delay per event lookup (its default): the least a request for one event can take.</summary>
    private const double EventDelayMs = 500;

    private ServiceProcess? _mockApi;

    [OneTimeSetUp]
    public async Task StartMockApi()
    {
        _mockApi = EndToEndServices.StartMockApi();
        await EndToEndServices.WaitUntilReadyAsync(_mockApi);
    }

    [OneTimeTearDown]
    public async Task StopMockApi()
    {
        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [Test]
    public async Task Request_OutsideDevelopment_LogsOneJsonLineWithMethodPathStatusElapsedAndTraceId()
    {
        // A user's events take at least one MockApi event delay: the logged time must cover it. The query string is
        // the caller's and stays out of the log.
        var (line, output) = await LogOfOneRequestAsync("Production", "/getEventsByUserId/1?probe=logging");

        var entry = JsonDocument.Parse(line).RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.GetProperty("Method").GetString(), Is.EqualTo("GET"));
            Assert.That(entry.GetProperty("Path").GetString(), Is.EqualTo("/getEventsByUserId/1"));
            Assert.That(entry.GetProperty("StatusCode").GetInt32(), Is.EqualTo(200));
            Assert.That(entry.GetProperty("ElapsedMs").GetDouble(), Is.GreaterThanOrEqualTo(EventDelayMs).And.LessThan(30_000));
            Assert.That(entry.GetProperty("TraceId").GetString(), Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$"));
            Assert.That(entry.GetProperty("level").GetString(), Is.EqualTo("INFO"));
        }

        var linesForThisRequest = output.Split('\n').Count(l => l.Contains(entry.GetProperty("TraceId").GetString()!, StringComparison.Ordinal));
        Assert.That(linesForThisRequest, Is.EqualTo(1), "one request makes one log line");
        Assert.That(output, Does.Not.Contain("This is the first event"), "no bodies in the log");
        Assert.That(output, Does.Not.Contain("probe=logging"), "no query strings in the log");
    }

    [Test]
    public async Task Request_InDevelopment_LogsReadableText()
    {
        var (line, _) = await LogOfOneRequestAsync("Development", "/getEvents");

        Assert.That(line.TrimStart(), Does.Not.StartWith("{"));
        Assert.That(line, Does.Match(@"INFO .*HTTP GET /getEvents responded 200 in [0-9.]+ ms traceId=00-"));
    }

    /// <summary>
    /// Starts an Api in <paramref name="environment"/>, sends it GET <paramref name="path"/> and stops it; returns the
    /// request logger's line for that request (found by its path without the query) and all the Api had written by then.
    /// </summary>
    private async Task<(string Line, string Output)> LogOfOneRequestAsync(string environment, string path)
    {
        await using var api = EndToEndServices.StartApi(_mockApi!, ("ASPNETCORE_ENVIRONMENT", environment), ("DOTNET_ENVIRONMENT", environment));
        await EndToEndServices.WaitUntilReadyAsync(api);
        using var http = api.CreateClient();

        using var response = await http.GetAsync(path);
        var line = await WaitForLineAsync(api, path.Split('?')[0]);
        return (line, api.Output);
    }

    /// <summary>The request logger's line for <paramref name="path"/> (the console target is asynchronous).</summary>
    private static async Task<string> WaitForLineAsync(ServiceProcess api, string path)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var line = api.Output.Split('\n').FirstOrDefault(l => l.Contains("RequestLoggingMiddleware", StringComparison.Ordinal)
                && l.Contains($"HTTP GET {path} responded", StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No request log line for {path}:\n{api.Output}");
    }
}
