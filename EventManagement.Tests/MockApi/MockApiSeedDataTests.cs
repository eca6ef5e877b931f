using System.Net;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiSeedDataTests
{
    private MockApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartMockApi()
    {
        _factory = new MockApiFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopMockApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [SetUp]
    public Task ResetAsync() => _client.ResetMockApiAsync();

    [Test]
    public async Task GetUsers_Seeded_ReturnsTheThreeSeedUsers()
    {
        using var response = await _client.GetAsync("/getUsers");

        await response.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Users);
    }

    [TestCase("1", SeedJson.User1)]
    [TestCase("2", SeedJson.User2)]
    [TestCase("3", SeedJson.User3)]
    public async Task GetUserById_SeedUser_ReturnsThatUser(string id, string expected)
    {
        using var response = await _client.GetAsync($"/getUserById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.OK, expected);
    }

    [TestCase("4")]
    [TestCase("user1")]
    [TestCase("event-1")]
    public async Task GetUserById_UnknownId_Returns404UserNotFound(string id)
    {
        using var response = await _client.GetAsync($"/getUserById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.NotFound, """{ "success": false, "error": "User not found" }""");
    }

    [Test]
    public async Task GetEvents_Seeded_ReturnsTheFourSeedEventsInOrder()
    {
        using var response = await _client.GetAsync("/getEvents");

        await response.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Events);
    }

    [TestCase("event-1", SeedJson.Event1)]
    [TestCase("event-2", SeedJson.Event2)]
    [TestCase("event-3", SeedJson.Event3)]
    [TestCase("event-4", SeedJson.Event4)]
    public async Task GetEventById_SeedEvent_ReturnsThatEvent(string id, string expected)
    {
        using var response = await _client.GetAsync($"/getEventById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.OK, expected);
    }

    [TestCase("event-5")]
    [TestCase("1")]
    public async Task GetEventById_UnknownId_Returns404EventNotFound(string id)
    {
        using var response = await _client.GetAsync($"/getEventById/{id}");

        await response.AssertJsonAsync(HttpStatusCode.NotFound, """{ "success": false, "error": "Event not found" }""");
    }

    [Test]
    public async Task Healthz_WhileRunning_ReturnsHealthy()
    {
        using var response = await _client.GetAsync("/healthz");

        await response.AssertJsonAsync(HttpStatusCode.OK, """{ "status": "Healthy" }""");
    }

    [Test]
    public async Task GetUsers_Always_AnswersJson()
    {
        using var response = await _client.GetAsync("/getUsers");

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }
}
