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

        // Warm the process (JIT, connections), so that the timing test measures the requests, not the start-up.
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

    /// <summary>
    /// Events added through the Api are not in its cache yet, so their lookups must reach the MockApi. It holds each
    /// lookup for a second and counts how many it holds at once: two at once is concurrency, whatever the machine's
    /// speed (a loaded machine may slow the request, not the count). The lookups may be sent up to a second apart.
    /// </summary>
    [Test]
    public async Task GetEventsByUserId_TwoEventsNotCachedYet_AreFetchedConcurrently()
    {
        var slowDelay = TimeSpan.FromSeconds(1);
        foreach (var name in new[] { "Cold one", "Cold two" })
        {
            using var added = await _client.PostEventAsync(name, userId: "2");
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        }

        // The reset of the MockApi's stats (SetUp) is before the POSTs, which look nothing up: the peak is this GET's.
        await _mock.SetFaultsAsync("""{"EventDelay":"00:00:01"}""");
        var before = await _mock.StatsAsync(MockApiControl.GetEventById);

        var clock = Stopwatch.StartNew();
        using var response = await _client.GetAsync("/getEventsByUserId/2");
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();

        var lookups = await _mock.StatsAsync(MockApiControl.GetEventById) - before;
        var peak = await _mock.PeakEventLookupsInFlightAsync();
        TestContext.Out.WriteLine($"GET /getEventsByUserId/2, two events not cached: {clock.ElapsedMilliseconds} ms, {lookups}, at most {peak} at once");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(JsonNode.Parse(body)?.AsArray(), Has.Count.EqualTo(3), body);
            Assert.That(lookups.Calls, Is.GreaterThanOrEqualTo(2), "the two new events must come from the MockApi");
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(slowDelay), "the MockApi waits one delay per lookup");
            Assert.That(peak, Is.GreaterThanOrEqualTo(2), "the lookups must run concurrently");
        }
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

    /// <summary>The README's 64 KiB limit on real Kestrel: a declared length and a chunked body without one.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task AddEvent_BodyOver64KiB_Answers413ProblemAndStoresNothing(bool chunked)
    {
        var json = $$"""{"name":"Too big","userId":"3","details":"{{new string('x', 64 * 1024)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await _client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request body too large");
        Assert.That(await _mock.StatsAsync(MockApiControl.AddEvent), Is.EqualTo(new RouteCounts(0, 0)), "nothing reached the MockApi");
    }

    /// <summary>
    /// The limit's other side: a body of exactly 64 KiB (padded by a field the Api ignores) is stored. With its length
    /// declared only: Kestrel counts a chunked body's chunk-size lines against the limit too.
    /// </summary>
    [Test]
    public async Task AddEvent_BodyOfExactly64KiB_Answers201()
    {
        const string Head = "{\"name\":\"Just fits\",\"userId\":\"3\",\"pad\":\"";
        var json = Head + new string('x', (64 * 1024) - Head.Length - 2) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(json), Is.EqualTo(64 * 1024));

        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
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
