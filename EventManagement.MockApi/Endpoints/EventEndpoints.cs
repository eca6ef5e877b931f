using EventManagement.MockApi.Contracts;
using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Endpoints;

/// <summary>GET /getEvents and GET /getEventById/{id}.</summary>
internal static class EventEndpoints
{
    /// <summary>Maps the event read routes.</summary>
    public static IEndpointRouteBuilder MapEventRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/getEvents", GetEvents);
        routes.MapGet("/getEventById/{id}", GetEventByIdAsync);
        return routes;
    }

    private static IResult GetEvents(HttpContext context, MockDataStore store, RouteStats stats, FaultSettingsHolder faults)
    {
        stats.GetEvents.RecordCall();
        if (ConnectionDrop.TryDrop(context, faults, stats.GetEvents))
        {
            return Results.Empty;
        }

        return TypedResults.Ok(store.GetEvents());
    }

    private static async Task<IResult> GetEventByIdAsync(
        string id,
        HttpContext context,
        MockDataStore store,
        RouteStats stats,
        FaultSettingsHolder faults,
        TimeProvider timeProvider)
    {
        stats.GetEventById.RecordCall();
        var settings = faults.Current;
        if (settings.EventFailureRate >= 1 || (settings.EventFailureRate > 0 && Random.Shared.NextDouble() < settings.EventFailureRate))
        {
            // An overloaded API refuses at once; the refusal is no lookup done, so it counts as a failure only.
            stats.GetEventById.RecordFailure();
            return TypedResults.Json(
                ErrorResponse.Of("Service temporarily unavailable"),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        stats.EventLookups.Begin(id);
        try
        {
            // The delay comes first, also for unknown ids: the real API is slow whatever it finds.
            await timeProvider.DelayAsync(settings.EventDelay, context.RequestAborted);
        }
        finally
        {
            stats.EventLookups.End();
        }

        return store.FindEvent(id) is { } mockEvent
            ? TypedResults.Ok(mockEvent)
            : TypedResults.NotFound(ErrorResponse.Of("Event not found"));
    }
}
