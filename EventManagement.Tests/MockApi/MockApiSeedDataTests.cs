using System.Net;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiSeedDataTests : MockApiTestBase
{
    [Test]
    public async Task GetUsers_Seeded_ReturnsTheThreeSeedUsers()
    {
        using var response = await Client.GetAsync("/getUsers");

        await response.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Users);
    }

    [TestCase("1", SeedJson.User1)]
    [TestCase("2", SeedJson.User2)]
    [TestCase("3", SeedJson.User3)]
    public async Task GetUserById_SeedUser_ReturnsThatUser(string id, string expected)
    {
        using var response = await Client.GetAsync($"/getUserById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.OK, expected);
    }

    [TestCase("4")]
    [TestCase("user1")]
    [TestCase("event-1")]
    public async Task GetUserById_UnknownId_Returns404UserNotFound(string id)
    {
        using var response = await Client.GetAsync($"/getUserById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.NotFound, """{ "success": false, "error": "User not found" }""");
    }

    [Test]
    public async Task GetEvents_Seeded_ReturnsTheFourSeedEventsInOrder()
    {
        using var response = await Client.GetAsync("/getEvents");

        await response.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Events);
    }

    [TestCase("event-1", SeedJson.Event1)]
    [TestCase("event-2", SeedJson.Event2)]
    [TestCase("event-3", SeedJson.Event3)]
    [TestCase("event-4", SeedJson.Event4)]
    public async Task GetEventById_SeedEvent_ReturnsThatEvent(string id, string expected)
    {
        using var response = await Client.GetAsync($"/getEventById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.OK, expected);
    }

    [TestCase("event-5")]
    [TestCase("1")]
    public async Task GetEventById_UnknownId_Returns404EventNotFound(string id)
    {
        using var response = await Client.GetAsync($"/getEventById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.NotFound, """{ "success": false, "error": "Event not found" }""");
    }

    [Test]
    public async Task Healthz_WhileRunning_ReturnsHealthy()
    {
        using var response = await Client.GetAsync("/healthz");

        await response.AssertJsonAsync(HttpStatusCode.OK, """{ "status": "Healthy" }""");
    }

    [Test]
    public async Task GetUsers_Always_AnswersJson()
    {
        using var response = await Client.GetAsync("/getUsers");

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }
}
