using EventManagement.MockApi.Contracts;
using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Endpoints;

/// <summary>GET /getUsers and GET /getUserById/{id}.</summary>
internal static class UserEndpoints
{
    /// <summary>Maps the user routes.</summary>
    public static IEndpointRouteBuilder MapUserRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/getUsers", GetUsers);
        routes.MapGet("/getUserById/{id}", GetUserById);
        return routes;
    }

    private static IResult GetUsers(HttpContext context, MockDataStore store, RouteStats stats, FaultSettingsHolder faults)
    {
        stats.GetUsers.RecordCall();
        if (ConnectionDrop.TryDrop(context, faults, stats.GetUsers))
        {
            return Results.Empty;
        }

        return TypedResults.Ok(store.GetUsers());
    }

    private static IResult GetUserById(string id, MockDataStore store, RouteStats stats)
    {
        stats.GetUserById.RecordCall();
        return store.FindUser(id) is { } user
            ? TypedResults.Ok(user)
            : TypedResults.NotFound(ErrorResponse.Of("User not found"));
    }
}
