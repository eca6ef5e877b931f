using System.Net;
using EventManagement.Application.Events;
using EventManagement.Infrastructure.ExternalApi;
using Moq;
using Refit;

namespace EventManagement.Tests.Builders;

/// <summary>
/// A strict <see cref="Mock{T}"/> of the Refit interface and setups for the usual answers. Every setup builds a
/// fresh <see cref="IApiResponse{T}"/> per call, like the real client.
/// </summary>
internal static class RefitClientMock
{
    public static Mock<IExternalEventsApiClient> Create() => new(MockBehavior.Strict);

    /// <summary>The event the mocked API stores under <paramref name="eventId"/>.</summary>
    public static EventContract Event(string eventId, string userId = "1") =>
        new(eventId, "Event " + eventId, userId, "Details of " + eventId);

    /// <summary>The DTO the gateway makes of <see cref="Event"/>.</summary>
    public static EventDto EventDto(string eventId, string userId = "1") =>
        new(eventId, "Event " + eventId, userId, "Details of " + eventId);

    public static UserContract User(string userId, IEnumerable<string> eventIds) =>
        new(userId, "user" + userId, $"user{userId}@example.test", [.. eventIds]);

    public static void SetupUser(this Mock<IExternalEventsApiClient> client, string userId, params string[] eventIds) =>
        client.Setup(c => c.GetUserByIdAsync(userId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(User(userId, eventIds)));

    public static void SetupUserNotFound(this Mock<IExternalEventsApiClient> client, string userId) =>
        client.Setup(c => c.GetUserByIdAsync(userId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.NotFound<UserContract>());

    public static void SetupEvents(this Mock<IExternalEventsApiClient> client, params string[] eventIds)
    {
        foreach (var eventId in eventIds)
        {
            client.Setup(c => c.GetEventByIdAsync(eventId, It.IsAny<CancellationToken>()))
                .ReturnsAsync(() => ApiResponses.Ok(Event(eventId)));
        }
    }

    public static void SetupEventStatus(this Mock<IExternalEventsApiClient> client, string eventId, HttpStatusCode status) =>
        client.Setup(c => c.GetEventByIdAsync(eventId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<EventContract>(status));

    /// <summary>POST /addEvent answers <paramref name="status"/>; every body sent is added to <paramref name="sent"/>.</summary>
    public static void SetupAddEvent(
        this Mock<IExternalEventsApiClient> client,
        HttpStatusCode status = HttpStatusCode.OK,
        ICollection<EventContract>? sent = null) =>
        client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .Callback((EventContract body, CancellationToken _) => sent?.Add(body))
            .ReturnsAsync(() => ApiResponses.Status(
                status,
                new AddEventResponseContract((int)status < 300, null, null)));

    public static void VerifyEventFetched(this Mock<IExternalEventsApiClient> client, string eventId, Times times) =>
        client.Verify(c => c.GetEventByIdAsync(eventId, It.IsAny<CancellationToken>()), times);
}
