using System.Diagnostics;
using EventManagement.Tests.Builders;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// The readiness gauge in /metrics follows the /readyz checks, run in the background (here every second), and a
/// scrape never calls the external API itself.
/// </summary>
public sealed class ReadinessMetricsTests
{
    private const string Gauge = "eventmanagement_readiness_status";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Metrics_WhenTheExternalApiStopsAndComesBack_ReportsItsCheckDegradedThenHealthy()
    {
        await using var factory = new ApiFactory();
        factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        using var client = factory.CreateClientPublishingReadinessEverySecond();

        // The first run may come before the host has started, with process Unhealthy (2): wait for the steady state.
        await WaitForAsync(client, ("process", 0), ("external-api", 1), ("add-event-circuit-breaker", 0));

        factory.ExternalApi.Setup(api => api.PingAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => new HttpResponseMessage());
        await WaitForAsync(client, ("process", 0), ("external-api", 0), ("add-event-circuit-breaker", 0));
    }

    [Test]
    public async Task Metrics_Scraped_NeverCallsTheExternalApi()
    {
        // ApiFactory holds the background run back, so only a scrape could call the external API here.
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await client.GetStringAsync("/metrics");
        }

        factory.ExternalApi.Verify(api => api.PingAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    /// <summary>Scrapes /metrics until the gauge of every check has the value given.</summary>
    private static async Task WaitForAsync(HttpClient client, params (string Check, double Value)[] expected)
    {
        var clock = Stopwatch.StartNew();
        var scrape = string.Empty;
        while (clock.Elapsed < Patience)
        {
            scrape = await client.GetStringAsync("/metrics");
            if (expected.All(check => PrometheusScrape.Value(scrape, Gauge, ("check", check.Check)) == check.Value))
            {
                return;
            }

            await Task.Delay(100);
        }

        var shown = scrape.Split('\n').Where(static line => line.StartsWith(Gauge, StringComparison.Ordinal));
        Assert.Fail($"{Gauge} was not {string.Join(", ", expected)} within {Patience}:\n{string.Join('\n', shown)}");
    }
}
