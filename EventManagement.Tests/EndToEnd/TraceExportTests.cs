using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The real Api process, with and without OTEL_EXPORTER_OTLP_ENDPOINT: the traceparent reaches the MockApi on every
/// call (retries and cached event lookups included), the JSON log lines carry the trace id, and with the endpoint set
/// the trace arrives at an OTLP/HTTP receiver within 10 s.
/// </summary>
[Category("EndToEnd")]
public sealed class TraceExportTests
{
    private const string ServiceName = "eventmanagement-trace-test";
    private static readonly TimeSpan ExportPatience = TimeSpan.FromSeconds(10);

    private ServiceProcess? _mockApi;
    private MockApiControl? _mock;

    [OneTimeSetUp]
    public async Task StartMockApi()
    {
        _mockApi = EndToEndServices.StartMockApi(("MockApi__EventDelay", "00:00:00.02"));
        await EndToEndServices.WaitUntilReadyAsync(_mockApi);
        _mock = new MockApiControl(_mockApi);
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

    [SetUp]
    public Task ResetMockApi() => _mock!.ResetAsync();

    [Test]
    public async Task FailingLookups_WithoutExporter_CarryTheTraceToEveryAttemptAndIntoEveryLogLineAndTheProblem()
    {
        await using var api = EndToEndServices.StartApi(_mockApi!);
        await EndToEndServices.WaitUntilReadyAsync(api);
        await _mock!.ResetAsync();
        await _mock.SetFaultsAsync("""{"EventFailureRate":1}""");
        var traceId = ActivityTraceId.CreateRandom();

        using var http = api.CreateClient();
        using var response = await SendAsync(http, "/getEventsByUserId/1", traceId, ActivitySpanId.CreateRandom());

        Assert.That((int)response.StatusCode, Is.GreaterThanOrEqualTo(500));
        var problem = await response.ReadJsonAsync();
        Assert.That(problem.StringAt("traceId"), Does.Contain(traceId.ToHexString()), "the problem names the trace the external API saw");

        var received = await _mock.RequestsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(received.Count(request => request.Path.StartsWith("/getEventById/", StringComparison.Ordinal)), Is.GreaterThan(2), "lookups were retried");
            foreach (var request in received)
            {
                Assert.That(request.TraceParent, Does.Contain(traceId.ToHexString()), $"{request.Method} {request.Path}");
            }
        }

        var retries = await WaitForLinesAsync(api, "attempt", minimum: 1);
        var failures = await WaitForLinesAsync(api, "failed after retries", minimum: 1);
        foreach (var line in retries.Concat(failures))
        {
            var entry = JsonDocument.Parse(line).RootElement;
            Assert.That(entry.GetProperty("trace_id").GetString(), Is.EqualTo(traceId.ToHexString()), line);
            Assert.That(entry.GetProperty("span_id").GetString(), Does.Match("^[0-9a-f]{16}$"), line);
        }
    }

    [Test]
    public async Task GetEventsByUserId_WithOtlpEndpoint_ExportsTheRequestAndEveryUpstreamCallWithin10Seconds()
    {
        await using var receiver = await OtlpHttpReceiver.StartAsync();
        await using var api = EndToEndServices.StartApi(
            _mockApi!,
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString().TrimEnd('/')),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_SERVICE_NAME", ServiceName));
        await EndToEndServices.WaitUntilReadyAsync(api);
        await _mock!.ResetAsync();
        using var http = api.CreateClient();

        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using (var response = await SendAsync(http, "/getEventsByUserId/1", traceId, callerSpan))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var answered = Stopwatch.StartNew();
        var received = await _mock.RequestsAsync();
        Assert.That(received, Has.Count.EqualTo(3), "the user and two event lookups");
        Assert.That(received.Select(request => request.TraceParent), Is.All.Contains(traceId.ToHexString()), "the external API saw the request's trace");

        // The trace id, the request span (whose parent is the caller's span), the service name, and the span of each
        // upstream call the MockApi saw (the span id of its traceparent).
        var needles = new List<byte[]> { Bytes(traceId), Bytes(callerSpan), Encoding.UTF8.GetBytes(ServiceName) };
        needles.AddRange(received.Select(request => Bytes(ActivitySpanId.CreateFromString(request.TraceParent!.Split('-')[2]))));
        while (!receiver.Received([.. needles]))
        {
            Assert.That(answered.Elapsed, Is.LessThan(ExportPatience), "the trace was not exported within 10 s");
            await Task.Delay(50);
        }

        // A failing call: its retry lines carry the trace id of its request, and that trace is exported too.
        await _mock.SetFaultsAsync("""{"EventFailureRate":1}""");
        var failingTrace = ActivityTraceId.CreateRandom();
        using (var failing = await SendAsync(http, "/getEventsByUserId/3", failingTrace, ActivitySpanId.CreateRandom()))
        {
            Assert.That((int)failing.StatusCode, Is.GreaterThanOrEqualTo(500));
        }

        var retries = await WaitForLinesAsync(api, "attempt", minimum: 1);
        Assert.That(
            retries.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("trace_id").GetString()),
            Is.All.EqualTo(failingTrace.ToHexString()));
        answered.Restart();
        while (!receiver.Received(Bytes(failingTrace)))
        {
            Assert.That(answered.Elapsed, Is.LessThan(ExportPatience), "the failing call's trace was not exported within 10 s");
            await Task.Delay(50);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, ActivityTraceId traceId, ActivitySpanId parent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
        return await http.SendAsync(request);
    }

    private static byte[] Bytes(ActivityTraceId id)
    {
        var bytes = new byte[16];
        id.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Bytes(ActivitySpanId id)
    {
        var bytes = new byte[8];
        id.CopyTo(bytes);
        return bytes;
    }

    /// <summary>The Api's JSON log lines whose message contains <paramref name="text"/> (the console target is asynchronous).</summary>
    private static async Task<string[]> WaitForLinesAsync(ServiceProcess api, string text, int minimum)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lines = api.OutputLines
                .Where(line => line.StartsWith('{') && JsonDocument.Parse(line).RootElement.TryGetProperty("message", out var message)
                    && message.GetString()!.Contains(text, StringComparison.Ordinal))
                .ToArray();
            if (lines.Length >= minimum)
            {
                return lines;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"No log line with '{text}' within 10 s:\n{api.Output}");
            }

            await Task.Delay(20);
        }
    }
}
