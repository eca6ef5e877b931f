using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;
using NUnit.Framework.Constraints;
using Polly.Timeout;
using Refit;

namespace EventManagement.Tests.Unit.Infrastructure.ExternalApi;

/// <summary>
/// <see cref="ExternalEventsGateway"/> over a mocked Refit client: contract-to-DTO mapping, and how every answer
/// or exception is sorted into an answer, <see cref="UpstreamException"/> of a kind, or the caller's cancellation.
/// </summary>
[TestFixture]
public sealed class ExternalEventsGatewayTests : ServiceHarnessTestBase
{

    private ExternalEventsGateway Gateway => Harness.Gateway;

    [Test]
    public async Task GetUsersAsync_WhenUpstreamAnswers_MapsEveryUser()
    {
        Client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract>
            {
                new("1", "user1", "hello@gmail.com", ["event-1", "event-3"]),
                new("2", "user2", "hello2@gmail.com", ["event-2"]),
            }));

        var users = await Gateway.GetUsersAsync(CancellationToken.None);

        Assert.That(users.Select(Describe), Is.EqualTo(new[]
        {
            "1|user1|hello@gmail.com|event-1,event-3",
            "2|user2|hello2@gmail.com|event-2",
        }));
    }

    [Test]
    public async Task GetUserByIdAsync_WhenUpstreamAnswers_MapsTheUser()
    {
        Client.SetupUser("1", "event-1", "event-3");

        var user = await Gateway.GetUserByIdAsync("1", CancellationToken.None);

        Assert.That(user, Is.Not.Null);
        Assert.That(Describe(user!), Is.EqualTo("1|user1|user1@example.test|event-1,event-3"));
    }

    [Test]
    public async Task GetUserByIdAsync_WhenEventsListIsMissing_ReturnsAnEmptyList()
    {
        Client.Setup(c => c.GetUserByIdAsync("7", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new UserContract("7", "user7", "user7@example.test", null)));

        var user = await Gateway.GetUserByIdAsync("7", CancellationToken.None);

        Assert.That(user?.Events, Is.Not.Null.And.Empty);
    }

    [Test]
    public async Task GetUserByIdAsync_WhenUpstreamAnswers404_ReturnsNull()
    {
        Client.SetupUserNotFound("404");

        var user = await Gateway.GetUserByIdAsync("404", CancellationToken.None);

        Assert.That(user, Is.Null);
    }

    [Test]
    public async Task GetEventsAsync_WhenUpstreamAnswers_MapsEveryEvent()
    {
        Client.Setup(c => c.GetEventsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<EventContract>
            {
                new("event-1", "Event 1", "1", "This is the first event"),
                new("event-2", "Event 2", "2", null),
            }));

        var events = await Gateway.GetEventsAsync(CancellationToken.None);

        Assert.That(events, Is.EqualTo(new[]
        {
            new EventDto("event-1", "Event 1", "1", "This is the first event"),
            new EventDto("event-2", "Event 2", "2", null),
        }));
    }

    [Test]
    public async Task GetEventByIdAsync_WhenUpstreamAnswers_MapsTheEvent()
    {
        Client.SetupEvents("event-1");

        var found = await Gateway.GetEventByIdAsync("event-1", CancellationToken.None);

        Assert.That(found, Is.EqualTo(RefitClientMock.EventDto("event-1")));
    }

    [Test]
    public async Task GetEventByIdAsync_WhenUpstreamAnswers404_ReturnsNull()
    {
        Client.SetupEventStatus("event-404", HttpStatusCode.NotFound);

        var found = await Gateway.GetEventByIdAsync("event-404", CancellationToken.None);

        Assert.That(found, Is.Null);
    }

    [Test]
    public async Task AddEventAsync_WhenUpstreamAnswersSuccess_SendsTheContractAndReturnsAdded()
    {
        var sent = new List<EventContract>();
        Client.SetupAddEvent(sent: sent);

        var result = await Gateway.AddEventAsync(new EventDto("evt-1", "Launch", "3", "Rooftop"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(AddEventResult.Added));
            Assert.That(sent, Is.EqualTo(new[] { new EventContract("evt-1", "Launch", "3", "Rooftop") }));
        });
    }

    [Test]
    public async Task AddEventAsync_WhenUpstreamAnswers404_ReturnsUserNotFound()
    {
        Client.SetupAddEvent(HttpStatusCode.NotFound);

        var result = await Gateway.AddEventAsync(new EventDto("evt-1", "Launch", "404", null), CancellationToken.None);

        Assert.That(result, Is.EqualTo(AddEventResult.UserNotFound));
    }

    [TestCase(HttpStatusCode.ServiceUnavailable, UpstreamFailureKind.Unavailable)]
    [TestCase(HttpStatusCode.TooManyRequests, UpstreamFailureKind.Unavailable)]
    [TestCase(HttpStatusCode.GatewayTimeout, UpstreamFailureKind.TimedOut)]
    [TestCase(HttpStatusCode.RequestTimeout, UpstreamFailureKind.TimedOut)]
    [TestCase(HttpStatusCode.InternalServerError, UpstreamFailureKind.BadResponse)]
    [TestCase(HttpStatusCode.BadGateway, UpstreamFailureKind.BadResponse)]
    public void GetEventByIdAndAddEvent_WhenUpstreamAnswersFailureStatus_ThrowUpstreamOfKind(HttpStatusCode status, UpstreamFailureKind kind)
    {
        Client.SetupEventStatus("event-1", status);
        Client.SetupAddEvent(status);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(async () => await Gateway.GetEventByIdAsync("event-1", CancellationToken.None), ThrowsUpstream(kind), "GET /getEventById");
            Assert.That(async () => await Gateway.AddEventAsync(new EventDto("evt-1", "Launch", "3", null), CancellationToken.None), ThrowsUpstream(kind), "POST /addEvent");
        }
    }

    [TestCaseSource(nameof(UnusableAnswers))]
    public void Gateway_WhenA200OrAListAnswerIsUnusable_ThrowsBadResponse(Action<Mock<IExternalEventsApiClient>> answer, Func<IExternalEventsApi, Task> call)
    {
        answer(Client);

        Assert.That(async () => await call(Gateway), ThrowsUpstream(UpstreamFailureKind.BadResponse));
    }

    [TestCaseSource(nameof(TransportFailures))]
    public void GetEventByIdAsync_WhenClientThrows_ThrowsUpstreamOfKind(Exception thrown, UpstreamFailureKind kind)
    {
        Client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>())).ThrowsAsync(thrown);

        Assert.That(
            async () => await Gateway.GetEventByIdAsync("event-1", CancellationToken.None),
            ThrowsUpstream(kind).With.Property(nameof(Exception.InnerException)).SameAs(thrown));
    }

    [TestCaseSource(nameof(TransportFailures))]
    public void GetEventByIdAsync_WhenClientReportsNoAnswer_ThrowsUpstreamOfKind(Exception transportFailure, UpstreamFailureKind kind)
    {
        // Refit 16 returns IApiResponse with a null StatusCode and the wrapped failure in Error instead of throwing.
        Client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.NoAnswer<EventContract>(transportFailure));

        Assert.That(async () => await Gateway.GetEventByIdAsync("event-1", CancellationToken.None), ThrowsUpstream(kind));
    }

    [Test]
    public void GetEventByIdAsync_WhenConnectTimeoutElapses_ThrowsUpstreamTimedOut()
    {
        // SocketsHttpHandler.ConnectTimeout (set to the attempt timeout) throws this shape: a cancellation that the
        // caller did not ask for, with a TimeoutException inside. Polly retries it as transient; Refit wraps the
        // last one. It is a timeout of the external API (504), not an unclassified error (500).
        var connectTimedOut = new TaskCanceledException(
            "The operation was canceled.",
            new TimeoutException("A connection could not be established within the configured ConnectTimeout."));
        Client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(ApiResponses.RequestFailed(connectTimedOut));

        Assert.That(async () => await Gateway.GetEventByIdAsync("event-1", CancellationToken.None), ThrowsUpstream(UpstreamFailureKind.TimedOut));
    }

    [Test]
    public void GetEventByIdAsync_WhenCallerCancelsAndClientThrowsOperationCanceled_ThrowsOperationCanceled()
    {
        using var caller = new CancellationTokenSource();
        Client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>()))
            .Callback(() => caller.Cancel())
            .ThrowsAsync(new TaskCanceledException());

        Assert.That(
            async () => await Gateway.GetEventByIdAsync("event-1", caller.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void AddEventAsync_WhenCallerCancelsAndClientThrowsWrappedCancellation_ThrowsOperationCanceled()
    {
        using var caller = new CancellationTokenSource();
        Client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .Callback(() => caller.Cancel())
            .ThrowsAsync(ApiResponses.RequestFailed(new TaskCanceledException()));

        Assert.That(
            async () => await Gateway.AddEventAsync(new EventDto("evt-1", "Launch", "3", null), caller.Token),
            Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(caller.Token));
    }

    [Test]
    public void GetUsersAsync_WhenCallerCancelsAndClientReportsNoAnswer_ThrowsOperationCanceled()
    {
        using var caller = new CancellationTokenSource();
        Client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .Callback(() => caller.Cancel())
            .ReturnsAsync(() => ApiResponses.NoAnswer<List<UserContract>>(new TaskCanceledException()));

        Assert.That(async () => await Gateway.GetUsersAsync(caller.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void CheckReachableAsync_WhenUpstreamAnswersAnyStatus_Succeeds()
    {
        Client.Setup(c => c.PingAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new HttpResponseMessage(HttpStatusCode.InternalServerError));

        Assert.That(async () => await Gateway.CheckReachableAsync(CancellationToken.None), Throws.Nothing);
    }

    [Test]
    public void CheckReachableAsync_WhenConnectionIsRefused_ThrowsUpstreamUnavailable()
    {
        Client.Setup(c => c.PingAsync(It.IsAny<CancellationToken>())).ThrowsAsync(ConnectionRefused());

        Assert.That(async () => await Gateway.CheckReachableAsync(CancellationToken.None), ThrowsUpstream(UpstreamFailureKind.Unavailable));
    }

    /// <summary>Answers that parse (or arrive) but that the gateway cannot use: a 502, never a 500 or a wrong result.</summary>
    private static IEnumerable<TestCaseData> UnusableAnswers()
    {
        // Only the by-id routes may answer 404; for a list it means the API is not the one we expect.
        yield return Unusable(
            "GET /getUsers answers 404",
            client => client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => ApiResponses.NotFound<List<UserContract>>()),
            gateway => gateway.GetUsersAsync(CancellationToken.None));
        yield return Unusable(
            "GET /getEventById answers 200 without a body",
            client => client.SetupEventStatus("event-1", HttpStatusCode.OK),
            gateway => gateway.GetEventByIdAsync("event-1", CancellationToken.None));
        yield return Unusable(
            "GET /getEvents answers a 200 body that does not deserialize",
            client => client.Setup(c => c.GetEventsAsync(It.IsAny<CancellationToken>())).Returns(() => ApiResponses.UnreadableBody<List<EventContract>>()),
            gateway => gateway.GetEventsAsync(CancellationToken.None));
        yield return Unusable(
            "GET /getEventById answers 200 with a body and an error set",
            client => client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>())).Returns(() => ApiResponses.UnreadableBody(RefitClientMock.Event("event-1"))),
            gateway => gateway.GetEventByIdAsync("event-1", CancellationToken.None));
        yield return Unusable(
            "POST /addEvent answers 200 with success false",
            client => client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(() => ApiResponses.Ok(new AddEventResponseContract(false, "Service temporarily unavailable", null))),
            gateway => gateway.AddEventAsync(new EventDto("evt-1", "Launch", "3", null), CancellationToken.None));
        yield return Unusable(
            "GET /getEventById answers an event without an id",
            client => client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>())).ReturnsAsync(() => ApiResponses.Ok(new EventContract(null, "Event 1", "1", null))),
            gateway => gateway.GetEventByIdAsync("event-1", CancellationToken.None));
        // The body [{...}, null] parses; a null item is still an answer we cannot use (not a NullReferenceException).
        yield return Unusable(
            "GET /getUsers answers a list holding a null",
            client => client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => ApiResponses.Ok(new List<UserContract> { RefitClientMock.User("1", []), null! })),
            gateway => gateway.GetUsersAsync(CancellationToken.None));
        yield return Unusable(
            "GET /getEvents answers a list holding a null",
            client => client.Setup(c => c.GetEventsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => ApiResponses.Ok(new List<EventContract> { RefitClientMock.Event("event-1"), null! })),
            gateway => gateway.GetEventsAsync(CancellationToken.None));
    }

    private static TestCaseData Unusable(string answer, Action<Mock<IExternalEventsApiClient>> arrange, Func<IExternalEventsApi, Task> call) =>
        new TestCaseData(arrange, call).SetArgDisplayNames(answer);

    private static IEnumerable<TestCaseData> TransportFailures()
    {
        yield return new TestCaseData(ConnectionRefused(), UpstreamFailureKind.Unavailable)
            .SetArgDisplayNames("HttpRequestException (connection refused)", "Unavailable");
        yield return new TestCaseData(ApiResponses.RequestFailed(ConnectionRefused()), UpstreamFailureKind.Unavailable)
            .SetArgDisplayNames("ApiRequestException wrapping connection refused", "Unavailable");
        yield return new TestCaseData(new TimeoutRejectedException(), UpstreamFailureKind.TimedOut)
            .SetArgDisplayNames("Polly TimeoutRejectedException", "TimedOut");
        yield return new TestCaseData(ApiResponses.RequestFailed(new TimeoutRejectedException()), UpstreamFailureKind.TimedOut)
            .SetArgDisplayNames("ApiRequestException wrapping TimeoutRejectedException", "TimedOut");
        yield return new TestCaseData(new JsonException("'<' is an invalid start of a value."), UpstreamFailureKind.BadResponse)
            .SetArgDisplayNames("JsonException", "BadResponse");
        yield return new TestCaseData(
                new HttpRequestException(HttpRequestError.InvalidResponse, "The server returned an invalid or unrecognized response."),
                UpstreamFailureKind.BadResponse)
            .SetArgDisplayNames("HttpRequestException (invalid response)", "BadResponse");
    }

    private static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (upstream.test:80)", new SocketException((int)SocketError.ConnectionRefused));

    private static EqualConstraint<UpstreamFailureKind> ThrowsUpstream(UpstreamFailureKind kind) =>
        Throws.TypeOf<UpstreamException>().With.Property(nameof(UpstreamException.Kind)).EqualTo(kind);

    private static string Describe(UserDto user) =>
        $"{user.Id}|{user.UserName}|{user.Email}|{string.Join(',', user.Events)}";
}
