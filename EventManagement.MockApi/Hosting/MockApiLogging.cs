using System.Diagnostics;
using NLog;
using NLog.Web;

namespace EventManagement.MockApi.Hosting;

/// <summary>NLog, configured by the shared root nlog.config.</summary>
internal static class MockApiLogging
{
    /// <summary>Loads nlog.config, keeps the console rule that fits the environment, and routes ILogger to NLog.</summary>
    /// <returns>A logger for the start-up, usable before the host exists.</returns>
    public static Logger UseMockApiLogging(this WebApplicationBuilder builder)
    {
        var configFile = Path.Combine(AppContext.BaseDirectory, "nlog.config");
        // ${trace-id} and ${span-id} in nlog.config: the Api registers the same two (TraceContextLayoutRenderers);
        // here they show the trace of the traceparent the Api sent.
        var logger = LogManager.Setup()
            .SetupExtensions(static extensions => extensions
                .RegisterLayoutRenderer("trace-id", static _ => Activity.Current?.TraceId.ToHexString() ?? string.Empty)
                .RegisterLayoutRenderer("span-id", static _ => Activity.Current?.SpanId.ToHexString() ?? string.Empty))
            .LoadConfigurationFromFile(configFile, optional: false)
            .GetLogger(typeof(Program).FullName!);

        // nlog.config holds both console rules so that one file serves every environment:
        // readable text in Development, JSON lines (for the log collector) everywhere else.
        LogManager.Configuration!.RemoveRuleByName(builder.Environment.IsDevelopment() ? "console-json" : "console-text");
        LogManager.ReconfigExistingLoggers();

        builder.Logging.ClearProviders();
        builder.Host.UseNLog();
        return logger;
    }
}
