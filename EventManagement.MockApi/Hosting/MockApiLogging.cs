using NLog;
using NLog.Config;
using NLog.Web;

namespace EventManagement.MockApi.Hosting;

/// <summary>NLog, configured by the shared root nlog.config.</summary>
internal static class MockApiLogging
{
    /// <summary>The logger of the generic host, which logs a failed start with a stack trace.</summary>
    private const string HostLoggerName = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Loads nlog.config, keeps the console rule that fits the environment, and routes ILogger to NLog.</summary>
    /// <returns>A logger for the start-up, usable before the host exists.</returns>
    public static Logger UseMockApiLogging(this WebApplicationBuilder builder)
    {
        var configFile = Path.Combine(AppContext.BaseDirectory, "nlog.config");
        var logger = LogManager.Setup()
            .SetupExtensions(extensions => extensions.RegisterLayoutRenderer(
                () => new ActivityLayoutRenderer(), ActivityLayoutRenderer.Name))
            .LoadConfigurationFromFile(configFile, optional: false)
            .GetLogger(typeof(Program).FullName!);

        var configuration = LogManager.Configuration!;
        // nlog.config holds both console rules so that one file serves every environment:
        // readable text in Development, JSON lines (for the log collector) everywhere else.
        configuration.RemoveRuleByName(builder.Environment.IsDevelopment() ? "console-json" : "console-text");
        // Program logs a failed start itself, in one line that names the setting; the host would add a second
        // line with the same message and a stack trace. NLog ignores ILogger filters (AddFilter), so the host's
        // logger is muted below Fatal here. It goes after nlog.config's own finalMinLevel rules, because the last
        // matching finalMinLevel wins (Microsoft.* would otherwise let the host's errors through again).
        var muteHost = new LoggingRule
        {
            RuleName = "mute-host",
            LoggerNamePattern = HostLoggerName,
            FinalMinLevel = NLog.LogLevel.Fatal,
        };
        var firstOutput = configuration.LoggingRules.TakeWhile(rule => rule.Targets.Count == 0).Count();
        configuration.LoggingRules.Insert(firstOutput, muteHost);
        LogManager.ReconfigExistingLoggers();

        builder.Logging.ClearProviders();
        builder.Host.UseNLog();
        return logger;
    }
}
