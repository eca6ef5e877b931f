using System.Diagnostics;
using System.Text.RegularExpressions;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using EventManagement.Tests.EndToEnd;
using EventManagement.Tests.Integration.Api;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;
using YamlDotNet.RepresentationModel;

namespace EventManagement.Tests.Deploy;

/// <summary>
/// deploy/prometheus/alerts.yml: valid for Prometheus (promtool check rules), each alert firing and staying quiet on
/// the synthetic series of alerts.test.yml (promtool test rules), and naming only metrics and labels that a real
/// scrape of the Api has. promtool is Debian's prometheus package: skipped where it is missing, except under CI=true.
/// </summary>
public sealed partial class PrometheusRulesTests
{
    private const string Rules = "deploy/prometheus/alerts.yml";
    private const string RuleTests = "deploy/prometheus/alerts.test.yml";

    // Series that Prometheus makes itself, and the labels it adds to every scraped one.
    private static readonly string[] PrometheusOwnMetrics = ["up"];
    private static readonly string[] PrometheusOwnLabels = ["job", "instance"];

    [Test]
    public async Task PromtoolCheckRules_AcceptsTheRules()
    {
        var (exitCode, output) = await PromtoolAsync("check", "rules", DeployFiles.PathOf(Rules));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain($"SUCCESS: {Alerts().Count} rules found"));
    }

    [Test]
    public async Task PromtoolTestRules_EveryAlertFiresAndStaysQuietAsItsTestsSay()
    {
        var (exitCode, output) = await PromtoolAsync("test", "rules", DeployFiles.PathOf(RuleTests));

        Assert.That(exitCode, Is.Zero, output);
    }

    [Test]
    public void RuleTests_CoverEveryAlertFiringAndNotFiring()
    {
        var cases = ((YamlSequenceNode)DeployFiles.Yaml(RuleTests).At("tests")).Children
            .SelectMany(static test => ((YamlSequenceNode)test.At("alert_rule_test")).Children)
            .Select(static check => (Alert: check.Scalar("alertname"), Fires: ((YamlSequenceNode)check.At("exp_alerts")).Children.Count > 0))
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            foreach (var alert in Alerts().Keys)
            {
                Assert.That(cases, Does.Contain((alert, true)), $"{alert}: no test where it fires");
                Assert.That(cases, Does.Contain((alert, false)), $"{alert}: no test where it stays quiet");
            }
        }
    }

    [Test]
    public async Task Rules_NameOnlyMetricsAndLabelsOfARealScrape()
    {
        var scrape = await ScrapeTheApiAsync();
        var names = PrometheusScrape.MetricNames(scrape);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (alert, expression) in Alerts())
            {
                var selectors = Selectors(expression).ToList();
                Assert.That(selectors, Is.Not.Empty, $"{alert}: no metric found in {expression}");
                foreach (var (metric, labels) in selectors.Where(static selector => !PrometheusOwnMetrics.Contains(selector.Metric)))
                {
                    Assert.That(names, Does.Contain(metric), $"{alert} uses {metric}, which the Api's /metrics does not have");
                    foreach (var label in labels.Except(PrometheusOwnLabels))
                    {
                        Assert.That(
                            PrometheusScrape.HasLabel(scrape, metric, label),
                            Is.True,
                            $"{alert} matches {metric} on label {label}, which no series of it has");
                    }
                }
            }
        }
    }

    /// <summary>The alerts of the rules file, by name, with their expressions.</summary>
    private static Dictionary<string, string> Alerts() =>
        ((YamlSequenceNode)DeployFiles.Yaml(Rules).At("groups")).Children
            .SelectMany(static group => ((YamlSequenceNode)group.At("rules")).Children)
            .ToDictionary(static rule => rule.Scalar("alert"), static rule => rule.Scalar("expr"));

    /// <summary>
    /// The metric selectors of a PromQL expression, with the label names they match on: what is left once strings,
    /// ranges, grouping clauses, functions and keywords are taken out.
    /// </summary>
    private static IEnumerable<(string Metric, IReadOnlyList<string> Labels)> Selectors(string expression)
    {
        var bare = Grouping().Replace(Range().Replace(QuotedString().Replace(expression, "\"\""), " "), " ");
        foreach (System.Text.RegularExpressions.Match token in SelectorToken().Matches(bare))
        {
            var name = token.Groups["name"].Value;
            var isFunction = bare.AsSpan(token.Index + token.Length).TrimStart().StartsWith("(");
            if (name.Length == 0 || isFunction || Keywords.Contains(name))
            {
                continue;
            }

            var labels = LabelMatcher().Matches(token.Groups["matchers"].Value).Select(static matcher => matcher.Groups["label"].Value).ToList();
            yield return (name, labels);
        }
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right"];

    /// <summary>A scrape of the real Api (in a test server) after the calls that bring out its metrics.</summary>
    private static async Task<string> ScrapeTheApiAsync()
    {
        await using var factory = new ApiFactory();
        factory.ExternalApi.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract>()));
        using var client = factory.CreateClientPublishingReadinessEverySecond();
        using (var users = await client.GetAsync("/getUsers"))
        {
            Assert.That(users.IsSuccessStatusCode, Is.True, "GET /getUsers");
        }

        // The readiness gauge appears with the first background run of the checks.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await client.GetStringAsync("/metrics");
            if (PrometheusScrape.MetricNames(scrape).Contains("eventmanagement_readiness_status") || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return scrape;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var promtool = RequiredBinary.Find("promtool", "prometheus");
        var start = new ProcessStartInfo(promtool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServiceProcess.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start promtool.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // A name with its matchers, or a bare matcher block (so that label names inside one are not taken for metrics).
    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?<matchers>\{[^}]*\})?|\{[^}]*\}")]
    private static partial Regex SelectorToken();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();
}
