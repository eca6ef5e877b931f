using System.Text.Json;
using EventManagement.MockApi.Contracts;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Hosting;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Endpoints;

/// <summary>The control surface for tests and demos (not part of the real external API).</summary>
internal static partial class AdminEndpoints
{
    private const string LoggerName = "EventManagement.MockApi.Admin";

    /// <summary>Maps GET /__admin/stats, GET /__admin/requests, POST /__admin/reset, GET and PUT /__admin/faults.</summary>
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/__admin/stats", (RouteStats stats) => TypedResults.Ok(stats.Read()));
        routes.MapGet("/__admin/requests", (RecentRequests recent) => TypedResults.Ok(recent.Read()));
        routes.MapPost("/__admin/reset", ResetAsync);
        routes.MapGet("/__admin/faults", (FaultSettingsHolder faults) => TypedResults.Ok(faults.Current));
        routes.MapPut("/__admin/faults", PutFaultsAsync);
        return routes;
    }

    private static async Task<IResult> ResetAsync(HttpContext context, MockApiResetter resetter, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(LoggerName);
        try
        {
            await resetter.ResetAsync(context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            LogResetFailed(logger, ex.Message);
            return TypedResults.Json(ErrorResponse.Of(ex.Message), statusCode: StatusCodes.Status500InternalServerError);
        }

        LogReset(logger);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutFaultsAsync(
        HttpContext context,
        FaultSettingsHolder faults,
        OverloadCycle overload,
        ILoggerFactory loggers)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest(ErrorResponse.Of("The body must be a JSON object of fault settings"));
        }

        using (document)
        {
            var result = faults.Apply(document.RootElement);
            if (result.Settings is not { } settings)
            {
                return TypedResults.BadRequest(ErrorResponse.Of(string.Join("; ", result.Errors)));
            }

            if (result.RestartsOverloadCycle)
            {
                overload.Restart();
            }

            var logger = loggers.CreateLogger(LoggerName);
            LogFaultsChanged(logger, settings);
            return TypedResults.Ok(settings);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reset to the start-up state")]
    private static partial void LogReset(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reset failed, nothing changed: {Reason}")]
    private static partial void LogResetFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault settings changed: {FaultSettings}")]
    private static partial void LogFaultsChanged(ILogger logger, FaultSettings faultSettings);
}
