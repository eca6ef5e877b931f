using System.Diagnostics;
using System.Net;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Users;
using Microsoft.Extensions.Logging;
using Refit;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>
/// Implements the application's port over the Refit client: maps the contract types to DTOs, turns 404s into
/// answers and every other failure into <see cref="UpstreamException"/>, and times each call.
/// The retries and timeouts live in the HttpClient's resilience handler, below this class.
/// </summary>
internal sealed class ExternalEventsGateway(
    IExternalEventsApiClient client,
    EventManagementMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ExternalEventsGateway> logger) : IExternalEventsApi
{
    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        CallAsync("getUsers", client.GetUsersAsync, users => (IReadOnlyList<UserDto>)users.Select(ToDto).ToArray(), cancellationToken);

    public Task<UserDto?> GetUserByIdAsync(string userId, CancellationToken cancellationToken) =>
        CallAsync<UserContract, UserDto?>("getUserById", token => client.GetUserByIdAsync(userId, token), ToDto, cancellationToken, onNotFound: () => null);

    public Task<IReadOnlyList<EventDto>> GetEventsAsync(CancellationToken cancellationToken) =>
        CallAsync("getEvents", client.GetEventsAsync, events => (IReadOnlyList<EventDto>)events.Select(ToDto).ToArray(), cancellationToken);

    public Task<EventDto?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken) =>
        CallAsync<EventContract, EventDto?>("getEventById", token => client.GetEventByIdAsync(eventId, token), ToDto, cancellationToken, onNotFound: () => null);

    public Task<AddEventResult> AddEventAsync(EventDto newEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        var body = new EventContract(newEvent.Id, newEvent.Name, newEvent.UserId, newEvent.Details);
        return CallAsync(
            "addEvent",
            token => client.AddEventAsync(body, token),
            answer => answer.Success ? AddEventResult.Added : throw BadResponse("addEvent answered success: false"),
            cancellationToken,
            onNotFound: () => AddEventResult.UserNotFound);
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.PingAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && UpstreamFailures.TryClassify(exception, out var kind))
        {
            throw new UpstreamException(kind, "The external events API is not reachable.", exception);
        }
    }

    private async Task<TResult> CallAsync<TBody, TResult>(
        string route,
        Func<CancellationToken, Task<IApiResponse<TBody>>> call,
        Func<TBody, TResult> map,
        CancellationToken cancellationToken,
        Func<TResult>? onNotFound = null)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = "success";
        // One span per call, all its attempts included: each attempt is an HttpClient span below it, each retry an event on it.
        using var activity = EventManagementActivities.IsTracing
            ? EventManagementActivities.Source.StartActivity("upstream " + route, ActivityKind.Internal)
            : null;
        try
        {
            using var response = await call(cancellationToken);
            if (response.StatusCode is not { } status)
            {
                // No HTTP answer at all: Refit hands back the transport error instead of throwing it.
                throw (Exception?)response.Error ?? new HttpRequestException($"No answer from the external events API to {route}.");
            }

            if (status == HttpStatusCode.NotFound && onNotFound is not null)
            {
                outcome = "not_found";
                return onNotFound();
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new UpstreamException(
                    UpstreamFailures.FromStatus(status),
                    $"The external events API answered {(int)status} to {route}.");
            }

            if (response.Error is not null || response.Content is null)
            {
                throw BadResponse($"The external events API sent a body for {route} that does not parse.", response.Error);
            }

            return map(response.Content);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (Refit may wrap the cancellation in ApiRequestException): not a failure of the API.
            outcome = "cancelled";
            throw exception as OperationCanceledException
                ?? new OperationCanceledException("The caller cancelled the call.", exception, cancellationToken);
        }
        catch (UpstreamException exception)
        {
            outcome = UpstreamFailures.OutcomeName(exception.Kind);
            logger.LogWarning("Upstream {Route} failed after retries: {Failure}", route, exception.Message);
            throw;
        }
        catch (Exception exception) when (UpstreamFailures.TryClassify(exception, out var kind))
        {
            outcome = UpstreamFailures.OutcomeName(kind);
            logger.LogWarning("Upstream {Route} failed after retries: {Failure}", route, exception.GetBaseException().Message);
            throw new UpstreamException(kind, $"The external events API failed {route}: {outcome}.", exception);
        }
        finally
        {
            metrics.RecordUpstreamCall(route, outcome, timeProvider.GetElapsedTime(started));
            if (activity is not null)
            {
                activity.SetTag("upstream.route", route);
                activity.SetTag("upstream.outcome", outcome);
                if (outcome is not ("success" or "not_found"))
                {
                    activity.SetStatus(ActivityStatusCode.Error, outcome);
                }
            }
        }
    }

    private static UpstreamException BadResponse(string message, Exception? inner = null) =>
        new(UpstreamFailureKind.BadResponse, message, inner);

    // Nullable: a list body such as [{...}, null] parses, and its null items are as unusable as a missing id.
    private static UserDto ToDto(UserContract? user) =>
        user?.Id is null
            ? throw BadResponse("The external events API sent a user that is null or has no id.")
            : new UserDto(user.Id, user.UserName ?? string.Empty, user.Email ?? string.Empty, user.Events ?? []);

    private static EventDto ToDto(EventContract? item) =>
        item?.Id is null
            ? throw BadResponse("The external events API sent an event that is null or has no id.")
            : new EventDto(item.Id, item.Name ?? string.Empty, item.UserId ?? string.Empty, item.Details);
}
