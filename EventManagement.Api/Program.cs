using EventManagement.Api;
using EventManagement.Api.Hosting;
using EventManagement.Application;
using EventManagement.Infrastructure;
using Microsoft.Extensions.Options;

var logger = NLogSetup.Bootstrap();
var hostAborted = false;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseNLogConsole().ListenOnConfiguredPort();
    builder.Services
        .AddApplication(builder.Configuration)
        .AddInfrastructure(builder.Configuration)
        .AddApi(builder.Configuration);

    var app = builder.Build();
    app.UseApi();
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (exception is OptionsValidationException or InvalidConfigurationException)
{
    logger.Fatal("Invalid configuration, not starting: {Reason}", exception.Message);
    return 1;
}
catch (HostAbortedException)
{
    // WebApplicationFactory stops the program here once it has the host: not a failure, and logging stays on.
    hostAborted = true;
    throw;
}
catch (Exception exception)
{
    logger.Fatal(exception, "The Api stopped unexpectedly");
    return 1;
}
finally
{
    if (!hostAborted)
    {
        NLog.LogManager.Shutdown();
    }
}

/// <summary>The Api's entry point; public so that WebApplicationFactory can start it in tests.</summary>
public partial class Program;
