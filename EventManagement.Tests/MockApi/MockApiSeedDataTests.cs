using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>Every read route of a freshly seeded MockApi: its status, its JSON body and that it says it is JSON.</summary>
[TestFixture]
public sealed class MockApiSeedDataTests : MockApiTestBase
{
    private const string UserNotFound = """{ "success": false, "error": "User not found" }""";
    private const string EventNotFound = """{ "success": false, "error": "Event not found" }""";

    [TestCase("/getUsers", HttpStatusCode.OK, SeedJson.Users)]
    [TestCase("/getUserById/1", HttpStatusCode.OK, SeedJson.User1)]
    [TestCase("/getUserById/2", HttpStatusCode.OK, SeedJson.User2)]
    [TestCase("/getUserById/3", HttpStatusCode.OK, SeedJson.User3)]
    [TestCase("/getUserById/4", HttpStatusCode.NotFound, UserNotFound)]
    [TestCase("/getUserById/user1", HttpStatusCode.NotFound, UserNotFound)]
    [TestCase("/getUserById/event-1", HttpStatusCode.NotFound, UserNotFound)]
    [TestCase("/getEvents", HttpStatusCode.OK, SeedJson.Events)]
    [TestCase("/getEventById/event-1", HttpStatusCode.OK, SeedJson.Event1)]
    [TestCase("/getEventById/event-2", HttpStatusCode.OK, SeedJson.Event2)]
    [TestCase("/getEventById/event-3", HttpStatusCode.OK, SeedJson.Event3)]
    [TestCase("/getEventById/event-4", HttpStatusCode.OK, SeedJson.Event4)]
    [TestCase("/getEventById/event-5", HttpStatusCode.NotFound, EventNotFound)]
    [TestCase("/getEventById/1", HttpStatusCode.NotFound, EventNotFound)]
    [TestCase("/healthz", HttpStatusCode.OK, """{ "status": "Healthy" }""")]
    public async Task Get_SeedData_AnswersTheStoredJson(string path, HttpStatusCode status, string expected)
    {
        using var response = await Client.GetAsync(path);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        await response.AssertJsonAsync(status, expected);
    }
}
