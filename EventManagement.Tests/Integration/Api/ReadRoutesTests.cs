using System.Net;
using System.Net.Http.Json;
using EventManagement.Application.Events;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;
using Polly.Timeout;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// The read routes against a mocked Refit client. The retries wrap the real client, so none happen here: the
/// end-to-end fault tests count them.
/// </summary>
public sealed class ReadRoutesTests : ApiTestBase
{
    [SetUp]
    public void ResetExternalApi() => Factory.ExternalApi.Reset();

    [Test]
    public async Task GetUsers_WhenExternalApiAnswers_ReturnsItsUsers()
    {
        Factory.ExternalApi.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract> { new("1", "user1", "hello@gmail.com", ["event-1", "event-3"]) }));

        var users = await Client.GetFromJsonAsync<List<UserDto>>("/getUsers");

        Assert.That(users, Is.EqualTo(new[] { new UserDto("1", "user1", "hello@gmail.com", ["event-1", "event-3"]) }).Using<UserDto>(SameUser));
    }

    [Test]
    public async Task GetEvents_WhenExternalApiAnswers_ReturnsItsEventsAsCamelCaseJson()
    {
        Factory.ExternalApi.Setup(api => api.GetEventsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<EventContract> { new("event-1", "Event 1", "1", "This is the first event") }));

        var json = await Client.GetStringAsync("/getEvents");

        Assert.That(json, Is.EqualTo("""[{"id":"event-1","name":"Event 1","userId":"1","details":"This is the first event"}]"""));
    }

    [Test]
    public async Task GetEventsByUserId_WhenUserHasEvents_ReturnsThemInListOrder()
    {
        Factory.ExternalApi.Setup(api => api.GetUserByIdAsync("1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new UserContract("1", "user1", "hello@gmail.com", ["event-3", "event-1"])));
        Factory.ExternalApi.Setup(api => api.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => ApiResponses.Ok(new EventContract(id, "Name " + id, "1", null)));

        var events = await Client.GetFromJsonAsync<List<EventDto>>("/getEventsByUserId/1");

        Assert.That(events!.Select(e => e.Id), Is.EqualTo(new[] { "event-3", "event-1" }));
    }

    [Test]
    public async Task GetEventsByUserId_WhenUserIsUnknown_Returns404Problem()
    {
        Factory.ExternalApi.Setup(api => api.GetUserByIdAsync("42", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<UserContract>(HttpStatusCode.NotFound));

        var response = await Client.GetAsync("/getEventsByUserId/42");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user not found");
    }

    [Test]
    public async Task GetUsers_WhenTheConnectionFails_Returns503ServiceBusy()
    {
        Factory.ExternalApi.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("Connection refused"));

        var response = await Client.GetAsync("/getUsers");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service busy");
    }

    [Test]
    public async Task GetUsers_WhenExternalApiTimesOut_Returns504()
    {
        Factory.ExternalApi.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutRejectedException("attempt timed out"));

        var response = await Client.GetAsync("/getUsers");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout);
    }

    [TestCase(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.BadGateway, HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.GatewayTimeout, HttpStatusCode.GatewayTimeout)]
    public async Task GetEvents_WhenExternalApiAnswersAnError_MapsItsStatus(HttpStatusCode upstream, HttpStatusCode expected)
    {
        Factory.ExternalApi.Setup(api => api.GetEventsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<List<EventContract>>(upstream));

        var response = await Client.GetAsync("/getEvents");

        await ProblemAssert.IsProblemAsync(response, expected);
    }

    [Test]
    public async Task GetEvents_WhenSomethingUnexpectedBreaks_Returns500WithoutDetails()
    {
        Factory.ExternalApi.Setup(api => api.GetEventsAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("secret internal detail"));

        var response = await Client.GetAsync("/getEvents");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError, "internal error");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("secret internal detail"));
    }

    private static bool SameUser(UserDto a, UserDto b) =>
        a.Id == b.Id && a.UserName == b.UserName && a.Email == b.Email && a.Events.SequenceEqual(b.Events);
}
