using System.Net;
using EventManagement.Tests.EndToEnd;
using Microsoft.Playwright;

namespace EventManagement.Tests.Browser;

/// <summary>
/// The graphs an operator looks at: a real Prometheus (Debian's, started by scripts/prometheus.sh with the alert
/// rules) scraping the real Api, and its graph page in headless Chromium after the README's breaker demo. Debian's
/// package serves Prometheus's classic web UI (at /classic/graph; the newer React UI is not packaged). Skipped without
/// Chromium or Prometheus, except under CI=true.
/// </summary>
[Category("Browser")]
public sealed class PrometheusGraphTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string BreakerState = "eventmanagement_circuit_breaker_state";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private ServiceProcess _mockApi = null!;
    private ServiceProcess _api = null!;
    private PrometheusServer _prometheus = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartEverything()
    {
        RequiredBinary.Find(ChromiumPath, "chromium");
        RequiredBinary.Find("prometheus", "prometheus");

        // A fresh MockApi with its overload cycle on (5 of every 15 adds succeed), as in the README's demo.
        _mockApi = EndToEndServices.StartMockApi();
        _api = EndToEndServices.StartApi(_mockApi);
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _api);
        _prometheus = await PrometheusServer.StartAsync(_api);
        await _prometheus.WaitUntilAsync(
            async () => (await _prometheus.ApiAsync("/api/v1/targets"))?["activeTargets"]?.AsArray().Any(static target => target?["health"]?.GetValue<string>() == "up") == true,
            "the Api's scrape up",
            Patience);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [Test]
    public async Task GraphPage_AfterTheBreakerDemo_ShowsTheBreakerOpenThenClosed()
    {
        using var client = _api.CreateClient();
        var statuses = new List<int>();
        for (var i = 1; i <= 10; i++)
        {
            using var response = await client.PostEventAsync($"Load {i}");
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { 201, 201, 201, 201, 201, 503, 503, 503, 503, 503 }), "the README's demo");
        await WaitForBreakerStateAsync(1);
        await _prometheus.WaitUntilAsync(
            async () => (await _prometheus.ApiAsync("/api/v1/alerts"))?["alerts"]?.AsArray()
                .Any(static alert => alert?["labels"]?["alertname"]?.GetValue<string>() == "EventManagementCircuitBreakerOpen") == true,
            "EventManagementCircuitBreakerOpen pending",
            Patience);

        // Refused at once while open; the first POST after the 15 s break is the probe, and it succeeds.
        await _prometheus.WaitUntilAsync(
            async () =>
            {
                using var probe = await client.PostEventAsync("Probe");
                return probe.StatusCode == HttpStatusCode.Created;
            },
            "(the Api) a POST accepted after the break",
            Patience);
        await WaitForBreakerStateAsync(0);

        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        await page.GotoAsync(new Uri(_prometheus.BaseAddress, $"/classic/graph?g0.expr={BreakerState}&g0.tab=0&g0.range_input=1m").ToString());

        // The classic UI draws with Rickshaw: one line per series in the graph area, its labels in the legend below.
        var graph = page.Locator(".graph_container");
        await Assertions.Expect(graph.Locator(".legend")).ToContainTextAsync($"{BreakerState}{{instance=\"127.0.0.1:{_api.Port}\"", new() { Timeout = 15_000 });
        var line = graph.Locator(".graph_area svg path").First;
        await Assertions.Expect(line).ToBeVisibleAsync();
        var points = (await line.GetAttributeAsync("d"))?.Count(static c => c == 'L') ?? 0;
        Assert.That(points, Is.GreaterThan(10), "the line joins the scrapes of the last minute");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "prometheus-breaker.png") });
    }

    [Test]
    public async Task AlertsPage_ListsEveryRuleOfTheRulesFile()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_prometheus.BaseAddress, "/classic/alerts").ToString());

        var text = await page.Locator("body").InnerTextAsync();

        Assert.That(text, Does.Contain("EventManagementCircuitBreakerOpen").And.Contain("EventManagementReadinessDegraded")
            .And.Contain("EventManagementUpstreamErrors").And.Contain("EventManagementLatencyHigh"));
    }

    private Task WaitForBreakerStateAsync(int state) =>
        _prometheus.WaitUntilAsync(
            async () => (await _prometheus.ApiAsync($"/api/v1/query?query={BreakerState}"))?["result"]?.AsArray()
                .Any(series => series?["value"]?[1]?.GetValue<string>() == state.ToString(System.Globalization.CultureInfo.InvariantCulture)) == true,
            $"{BreakerState} = {state}",
            Patience);
}
