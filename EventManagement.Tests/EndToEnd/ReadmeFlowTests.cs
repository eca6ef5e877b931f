using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using EventManagement.Tests.Integration.Api;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The README's requests, as written there, against the real MockApi and Api processes (seed settings, random
/// drops off). The MockApi is reset before every test, so each one starts from the seed data.
/// </summary>
[Category("EndToEnd")]
public sealed class ReadmeFlowTests
{
    private const string User1Events = """
        [
          { "id": "event-1", "name": "Event 1", "userId": "1", "details": "This is the first event" },
          { "id": "event-3", "name": "Event 3", "userId": "1", "details": "This is the third event" }
        ]
        """;

    private static readonly TimeSpan EventDelay = TimeSpan.FromMilliseconds(500);

    private ServiceProcess? _mockApi;
    private ServiceProcess? _api;
    private MockApiControl _mock = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _mockApi = EndToEndServices.StartMockApi();
        _api = EndToEndServices.StartApi(_mockApi);
        _mock = new MockApiControl(_mockApi);
        _client = _api.CreateClient();
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _api);

        // Warm the process (JIT, connections) on user 2 only, so that user 1's events stay out of the cache for the
        // timing test.
        Assert.That(await _client.GetArrayAsync("/getUsers"), Has.Count.EqualTo(3));
        Assert.That(await _client.GetArrayAsync("/getEventsByUserId/2"), Has.Count.EqualTo(1));
    }

    [OneTimeTearDown]
    public async Task StopServices()
    {
        _client?.Dispose();
        _mock?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task ResetMockApi() => _mock.ResetAsync();

    /// <summary>Runs first, so that user 1's events are not in the Api's cache yet (the stats check it).</summary>
    [Test]
    [Order(1)]
    public async Task GetEventsByUserId_CacheColdUserWithTwoEvents_AnswersInAboutOneEventDelay()
    {
        var before = await _mock.StatsAsync(MockApiControl.GetEventById);

        var clock = Stopwatch.StartNew();
        using var response = await _client.GetAsync("/getEventsByUserId/1");
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();

        var lookups = await _mock.StatsAsync(MockApiControl.GetEventById) - before;
        TestContext.Out.WriteLine($"GET /getEventsByUserId/1, cache cold: {clock.ElapsedMilliseconds} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(lookups.Calls, Is.EqualTo(2), "both events must come from the MockApi (cache cold)");
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(EventDelay), "the MockApi waits one delay per lookup");
            // Two lookups one after the other take at least 2 × 500 ms; concurrent ones about 500 ms.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(900)), "the two events must be fetched concurrently");
        }

        EndToEndServices.AssertJson(JsonNode.Parse(body), User1Events, "user 1's events");
    }

    [Test]
    public async Task GetUsers_SeedData_ReturnsTheThreeUsersInOrder()
    {
        using var response = await _client.GetAsync("/getUsers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        EndToEndServices.AssertJson(await response.ReadJsonAsync(), """
            [
              { "id": "1", "userName": "user1", "email": "hello@gmail.com", "events": ["event-1", "event-3"] },
              { "id": "2", "userName": "user2", "email": "hello2@gmail.com", "events": ["event-2"] },
              { "id": "3", "userName": "user3", "email": "hello3@gmail.com", "events": ["event-4"] }
            ]
            """, "GET /getUsers");
    }

    [Test]
    public async Task GetEvents_SeedData_ReturnsTheFourEventsInOrder()
    {
        using var response = await _client.GetAsync("/getEvents");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        EndToEndServices.AssertJson(await response.ReadJsonAsync(), """
            [
              { "id": "event-1", "name": "Event 1", "userId": "1", "details": "This is the first event" },
              { "id": "event-2", "name": "Event 2", "userId": "2", "details": "This is the second event" },
              { "id": "event-3", "name": "Event 3", "userId": "1", "details": "This is the third event" },
              { "id": "event-4", "name": "Event 4", "userId": "3", "details": "This is the fourth event" }
            ]
            """, "GET /getEvents");
    }

    [Test]
    public async Task GetEventsByUserId_User1_ReturnsEvent1ThenEvent3()
    {
        var events = await _client.GetArrayAsync("/getEventsByUserId/1");

        EndToEndServices.AssertJson(events, User1Events, "GET /getEventsByUserId/1");
    }

    [Test]
    public async Task AddEvent_ReadmeCurlBody_Answers201AndTheEventShowsUpForUser3()
    {
        // Byte for byte the body of the README's curl command.
        using var response = await _client.PostJsonAsync("/addEvent", """{"name": "New Event", "userId": "3", "details": "This is a new event"}""");

        var body = await response.ReadJsonAsync();
        var id = body["event"].StringAt("id");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(id, Does.Match("^[A-Za-z0-9_-]{1,64}$"), "a new id, valid as an event id");
            Assert.That(id, Does.Not.StartWith("event-"), "not one of the seed's ids");
        }

        EndToEndServices.AssertJson(body, $$"""
            { "success": true, "event": { "id": "{{id}}", "name": "New Event", "userId": "3", "details": "This is a new event" } }
            """, "POST /addEvent");
        EndToEndServices.AssertJson(await _client.GetArrayAsync("/getEventsByUserId/3"), $$"""
            [
              { "id": "event-4", "name": "Event 4", "userId": "3", "details": "This is the fourth event" },
              { "id": "{{id}}", "name": "New Event", "userId": "3", "details": "This is a new event" }
            ]
            """, "GET /getEventsByUserId/3 right after the POST");
    }

    [Test]
    public async Task AddEvent_NumericUserId_Answers201WithTheUserIdAsAString()
    {
        using var response = await _client.PostJsonAsync("/addEvent", """{"name": "Numeric user", "userId": 3}""");

        var body = await response.ReadJsonAsync();
        var id = body["event"].StringAt("id");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
            Assert.That(body["success"]?.GetValue<bool>(), Is.True);
            Assert.That(body["event"].StringAt("userId"), Is.EqualTo("3"));
        }

        var user3 = await _client.GetArrayAsync("/getEventsByUserId/3");
        Assert.That(user3.Select(static item => item.StringAt("id")), Is.EqualTo(new[] { "event-4", id }));
    }

    [Test]
    public async Task GetEventsByUserId_UnknownUser_Answers404Problem()
    {
        using var response = await _client.GetAsync("/getEventsByUserId/42");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user not found");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("42"));
    }

    [Test]
    public async Task AddEvent_UnknownUser_Answers404ProblemAndStoresNothing()
    {
        using var response = await _client.PostEventAsync("For nobody", userId: "42");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user not found");
        Assert.That(await _client.GetArrayAsync("/getEvents"), Has.Count.EqualTo(4));
    }

    [TestCase("/getUsers", HttpStatusCode.OK)]
    [TestCase("/healthz", HttpStatusCode.OK)]
    [TestCase("/no-such-route", HttpStatusCode.NotFound)]
    public async Task Responses_OnRealKestrel_CarryNoServerHeader(string path, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Headers.Contains("Server"), Is.False, $"Server: {response.Headers.Server}");
        }
    }
}
