using Refit;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>
/// The Refit client for the external events API. Methods return <see cref="IApiResponse{T}"/> so that a 404 is
/// an answer to map, not an exception. Refit may also hand a transport failure back inside the response (no status
/// code, the error in <see cref="IApiResponse.Error"/>) rather than throw it; the gateway rethrows it.
/// </summary>
public interface IExternalEventsApiClient
{
    [Get("/getUsers")]
    Task<IApiResponse<List<UserContract>>> GetUsersAsync(CancellationToken cancellationToken);

    [Get("/getUserById/{id}")]
    Task<IApiResponse<UserContract>> GetUserByIdAsync(string id, CancellationToken cancellationToken);

    [Get("/getEvents")]
    Task<IApiResponse<List<EventContract>>> GetEventsAsync(CancellationToken cancellationToken);

    [Get("/getEventById/{id}")]
    Task<IApiResponse<EventContract>> GetEventByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Buffered so that the body has a Content-Length and every retry resends the same bytes.</summary>
    [Post("/addEvent")]
    Task<IApiResponse<AddEventResponseContract>> AddEventAsync(
        [Body(buffered: true)] EventContract newEvent,
        CancellationToken cancellationToken);

    /// <summary>Any HTTP answer from the root means the API is reachable; used by the readiness check.</summary>
    [Get("/")]
    Task<HttpResponseMessage> PingAsync(CancellationToken cancellationToken);
}
