using EventManagement.Api.Telemetry;
using NLog;
using NLog.Web;

namespace EventManagement.Api.Hosting;

/// <summary>Logging through NLog and the root nlog.config.</summary>
public static class NLogSetup
{
    /// <summary>Loads nlog.config so that even a failure to start is logged.</summary>
    public static Logger Bootstrap()
    {
        ConsoleOutput.UseLargeBuffer();
        return LogManager.Setup()
            .SetupExtensions(static extensions => extensions.RegisterTraceContext())
            .LoadConfigurationFromFile(Path.Combine(AppContext.BaseDirectory, "nlog.config"), optional: false)
            .GetCurrentClassLogger();
    }

    /// <summary>
    /// Makes NLog the only logging provider, with readable lines in Development and JSON lines elsewhere
    /// (nlog.config holds both console rules; the one that does not fit is removed here).
    /// </summary>
    public static WebApplicationBuilder UseNLogConsole(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var unwantedRule = builder.Environment.IsDevelopment() ? "console-json" : "console-text";
        if (LogManager.Configuration?.RemoveRuleByName(unwantedRule) == true)
        {
            LogManager.ReconfigExistingLoggers();
        }

        builder.Logging.ClearProviders();
        // No layout renders logging scopes, so capturing them is pure cost: ASP.NET Core, MVC and HttpClient open
        // several per request, and each one NLog captures copies the async-local execution context.
        builder.Host.UseNLog(new NLogAspNetCoreOptions { IncludeScopes = false });
        return builder;
    }
}
