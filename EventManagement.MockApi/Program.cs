using EventManagement.MockApi.Endpoints;
using EventManagement.MockApi.Hosting;
using Microsoft.Extensions.Options;
using NLog;

namespace EventManagement.MockApi;

/// <summary>Entry point of the stand-in for the slow, flaky external events API.</summary>
/// <remarks>
/// Namespaced, so it does not collide with the Api's top-level Program in the tests. A sealed class rather than a
/// static one: C# does not accept a static class as a type argument, and the tests need
/// <c>WebApplicationFactory&lt;EventManagement.MockApi.Program&gt;</c>.
/// </remarks>
public sealed class Program
{
    private Program()
    {
    }

    /// <summary>Runs the MockApi until it is stopped; a bad setting ends it at once with exit code 1.</summary>
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var logger = builder.UseMockApiLogging();
        try
        {
            if (!ListeningPort.TryParse(builder.Configuration[ListeningPort.SettingName], out var port, out var error))
            {
                logger.Error("MockApi cannot start: {Reason}", error);
                return 1;
            }

            builder.WebHost.UseMockApiServer(port);
            builder.Services.AddMockApi(builder.Configuration);
            var app = builder.Build();
            app.UseRequestRecording();
            app.MapMockApi();
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException
                                       or InvalidDataException or IOException)
        {
            // Bad or unknown settings, bad seed files, a port in use: the message names the culprit,
            // a stack trace would only bury it.
            logger.Error("MockApi cannot start: {Reason}", ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is not HostAbortedException)
        {
            logger.Error(ex, "MockApi stopped: {Reason}", ex.Message);
            return 1;
        }
        finally
        {
            LogManager.Shutdown();
        }
    }
}
