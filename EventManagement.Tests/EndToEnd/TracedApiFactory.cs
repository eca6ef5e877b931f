using EventManagement.Api.Telemetry;
using EventManagement.Tests.Builders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The real Api in a test server, calling a real MockApi over sockets (so HttpClient's own propagation and spans are
/// the production ones), with its traces going to an in-memory exporter instead of OTLP.
/// </summary>
public sealed class TracedApiFactory(Uri mockApi) : WebApplicationFactory<Program>
{
    /// <summary>Every span the Api has ended, in the order they ended (the exporter runs as each span stops).</summary>
    public SpanCollector Spans { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Shutdown:DrainDelay", "00:00:00");
        builder.UseSetting("ExternalApi:BaseUrl", mockApi.ToString().TrimEnd('/'));
        builder.ConfigureTestServices(services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddTracedSources().AddInMemoryExporter(Spans)));
    }
}
