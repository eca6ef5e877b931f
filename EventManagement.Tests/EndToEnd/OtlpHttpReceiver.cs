using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// A stand-in for an OpenTelemetry collector: accepts OTLP/HTTP trace exports (POST /v1/traces, protobuf) on a free
/// loopback port and keeps their raw bodies. Tests look for the ids' bytes in them rather than decode the protobuf.
/// </summary>
internal sealed class OtlpHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<byte[]> _exports = [];

    private OtlpHttpReceiver(WebApplication app) => _app = app;

    /// <summary>The base address to give as OTEL_EXPORTER_OTLP_ENDPOINT (the exporter adds /v1/traces).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpHttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpHttpReceiver(app);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            lock (receiver._gate)
            {
                receiver._exports.Add(body.ToArray());
            }

            // An empty ExportTraceServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        // After the start, the address Kestrel bound (port 0 became a real one).
        receiver.Endpoint = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>True once some export holds every one of <paramref name="needles"/> (ids and names, as bytes).</summary>
    public bool Received(params byte[][] needles)
    {
        lock (_gate)
        {
            return needles.All(needle => _exports.Any(export => export.AsSpan().IndexOf(needle) >= 0));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
