using System.Text.Json;
using EventManagement.MockApi.Contracts;
using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Serialization;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Endpoints;

/// <summary>POST /addEvent: validation, the optional hang, the overload cycle, then the idempotent store.</summary>
internal static class AddEventEndpoint
{
    private const string MalformedBody =
        "The body must be a JSON object { \"id\", \"name\", \"userId\", \"details\"? } with string values";

    /// <summary>Maps POST /addEvent.</summary>
    public static IEndpointRouteBuilder MapAddEventRoute(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/addEvent", AddEventAsync);
        return routes;
    }

    private static async Task<IResult> AddEventAsync(
        HttpContext context,
        MockDataStore store,
        RouteStats stats,
        FaultSettingsHolder faults,
        OverloadCycle overload,
        TimeProvider timeProvider)
    {
        stats.AddEvent.RecordCall();
        var cancellationToken = context.RequestAborted;

        // Invalid calls answer before the overload counter, so they never shift the cycle.
        var request = await ReadRequestAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return TypedResults.BadRequest(ErrorResponse.Of(MalformedBody));
        }

        if (request.FindError() is { } error)
        {
            return TypedResults.BadRequest(ErrorResponse.Of(error));
        }

        // FindError has checked that id, name and userId are there.
        var mockEvent = new MockEvent(request.Id!, request.Name!, request.UserId!, request.Details);
        if (store.FindUser(mockEvent.UserId) is null)
        {
            return TypedResults.NotFound(ErrorResponse.Of("User not found"));
        }

        var settings = faults.Current;
        await timeProvider.DelayAsync(settings.AddEventDelay, cancellationToken);
        if (overload.NextCallFails(settings))
        {
            stats.AddEvent.RecordFailure();
            await timeProvider.DelayAsync(settings.OverloadFailureDelay, cancellationToken);
            return TypedResults.Json(ErrorResponse.Overloaded, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var outcome = store.TryAdd(mockEvent);
        // AlreadyStored is a success on purpose: a retry after a lost answer must not fail or duplicate.
        // UnknownUser can only happen if a reset replaced the users while this call waited.
        return outcome == AddEventOutcome.UnknownUser
            ? TypedResults.NotFound(ErrorResponse.Of("User not found"))
            : TypedResults.Ok(SuccessResponse.Instance);
    }

    private static async Task<AddEventRequest?> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(
                request.Body, MockJsonContext.Default.AddEventRequest, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
