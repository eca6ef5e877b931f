using EventManagement.MockApi.Contracts;

namespace EventManagement.MockApi.Endpoints;

/// <summary>Maps every route of the MockApi.</summary>
internal static class MockApiEndpoints
{
    /// <summary>The external API's routes (paths exactly as the original), /healthz and the admin routes.</summary>
    public static IEndpointRouteBuilder MapMockApi(this IEndpointRouteBuilder routes)
    {
        routes.MapUserRoutes();
        routes.MapEventRoutes();
        routes.MapAddEventRoute();
        routes.MapAdminRoutes();
        routes.MapGet("/healthz", () => TypedResults.Ok(HealthResponse.Healthy));
        return routes;
    }
}
