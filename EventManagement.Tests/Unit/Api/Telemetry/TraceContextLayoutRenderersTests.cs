using System.Diagnostics;
using System.Text.Json;
using EventManagement.Api.Telemetry;
using NLog;
using NLog.Layouts;
using NLog.Targets;

namespace EventManagement.Tests.Unit.Api.Telemetry;

/// <summary>
/// The repository's nlog.config with our ${trace-id} and ${span-id}: the ids are taken when the line is logged
/// (NLog's asynchronous targets precalculate every layout that is not thread-agnostic on the logging thread), so a
/// line written later on the writer thread still carries the trace of the request that logged it.
/// </summary>
public sealed class TraceContextLayoutRenderersTests
{
    private LogFactory _factory = null!;

    [SetUp]
    public void LoadRepositoryConfiguration() =>
        _factory = new LogFactory().Setup()
            .SetupExtensions(static extensions => extensions.RegisterTraceContext())
            .LoadConfigurationFromFile(Path.Combine(AppContext.BaseDirectory, "nlog.config"), optional: false)
            .LogFactory;

    [TearDown]
    public void DisposeFactory() => _factory.Dispose();

    [Test]
    public void JsonLayout_PrecalculatedInsideAnActivity_RendersItsIdsAfterItEnded()
    {
        var logEvent = LogEventInfo.Create(LogLevel.Warn, "Retry", "Upstream getEventById attempt 1 failed");
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var layout = ConsoleLayout("consoleJson");
        layout.Precalculate(logEvent);
        activity.Stop();
        Assert.That(Activity.Current, Is.Null);

        var line = JsonDocument.Parse(layout.Render(logEvent)).RootElement;

        Assert.That(line.GetProperty("trace_id").GetString(), Is.EqualTo(activity.TraceId.ToHexString()));
        Assert.That(line.GetProperty("span_id").GetString(), Is.EqualTo(activity.SpanId.ToHexString()));
    }

    [Test]
    public void TextLayout_PrecalculatedInsideAnActivity_EndsWithItsIds()
    {
        var logEvent = LogEventInfo.Create(LogLevel.Warn, "Retry", "attempt 1 failed");
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var layout = ConsoleLayout("consoleText");
        layout.Precalculate(logEvent);
        activity.Stop();

        Assert.That(layout.Render(logEvent), Does.EndWith($"attempt 1 failed trace={activity.TraceId} span={activity.SpanId}"));
    }

    [Test]
    public void JsonLayout_OutsideAnyActivity_LeavesTheFieldsOut()
    {
        var logEvent = LogEventInfo.Create(LogLevel.Info, "Startup", "Application started");
        var layout = ConsoleLayout("consoleJson");
        layout.Precalculate(logEvent);

        var line = JsonDocument.Parse(layout.Render(logEvent)).RootElement;

        Assert.That(line.TryGetProperty("trace_id", out _), Is.False);
    }

    private Layout ConsoleLayout(string name)
    {
        // async="true" wraps each target: the console target itself is the wrapped one.
        var target = _factory.Configuration!.AllTargets.OfType<ConsoleTarget>().Single(target => target.Name.StartsWith(name, StringComparison.Ordinal));
        return target.Layout;
    }
}
