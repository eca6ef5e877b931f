using System.Net;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiAdminTests
{
    private const string ConfiguredFaults = """
        {
          "eventDelay": "00:00:00.0500000", "randomFailureRate": 0, "randomSeed": null,
          "overloadEnabled": true, "overloadCycleLength": 15, "overloadSuccessesPerCycle": 5,
          "overloadFailureDelay": "00:00:00", "addEventDelay": "00:00:00"
        }
        """;

    private const string ZeroStats = """
        { "routes": {
          "GET /getUsers": { "calls": 0, "failures": 0 }, "GET /getUserById": { "calls": 0, "failures": 0 },
          "GET /getEvents": { "calls": 0, "failures": 0 }, "GET /getEventById": { "calls": 0, "failures": 0 },
          "POST /addEvent": { "calls": 0, "failures": 0 } } }
        """;

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
    public async Task Stats_AfterCalls_CountsEveryCallAndTheDeliberateFailuresPerRoute()
    {
        (await _client.GetAsync("/getUsers")).Dispose();
        (await _client.GetAsync("/getUsers")).Dispose();
        (await _client.GetAsync("/getUserById/1")).Dispose();
        (await _client.GetAsync("/getUserById/nobody")).Dispose();
        (await _client.GetAsync("/getEvents")).Dispose();
        (await _client.GetAsync("/getEventById/event-1")).Dispose();
        (await _client.GetAsync("/getEventById/nothing")).Dispose();
        (await _client.SendJsonAsync(HttpMethod.Post, "/addEvent", "{oops")).Dispose();
        (await _client.AddEventAsync("new-x", userId: "nobody")).Dispose();
        for (var call = 0; call < 7; call++)
        {
            (await _client.AddEventAsync($"new-{call}")).Dispose();
        }

        using var stats = await _client.GetAsync("/__admin/stats");

        await stats.AssertJsonAsync(HttpStatusCode.OK, """
            { "routes": {
              "GET /getUsers": { "calls": 2, "failures": 0 }, "GET /getUserById": { "calls": 2, "failures": 0 },
              "GET /getEvents": { "calls": 1, "failures": 0 }, "GET /getEventById": { "calls": 2, "failures": 0 },
              "POST /addEvent": { "calls": 9, "failures": 2 } } }
            """);
    }

    [Test]
    public async Task GetFaults_AtStart_ReturnsTheConfiguredSettings()
    {
        using var response = await _client.GetAsync("/__admin/faults");

        await response.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [Test]
    public async Task PutFaults_PartialBody_ChangesOnlyTheNamedSettingsAndAnswersAllOfThem()
    {
        using var response = await _client.PutFaultsAsync("""{ "EventDelay": "00:00:02", "RandomFailureRate": 0.5 }""");

        const string Expected = """
            {
              "eventDelay": "00:00:02", "randomFailureRate": 0.5, "randomSeed": null,
              "overloadEnabled": true, "overloadCycleLength": 15, "overloadSuccessesPerCycle": 5,
              "overloadFailureDelay": "00:00:00", "addEventDelay": "00:00:00"
            }
            """;
        await response.AssertJsonAsync(HttpStatusCode.OK, Expected);
        using var current = await _client.GetAsync("/__admin/faults");
        await current.AssertJsonAsync(HttpStatusCode.OK, Expected);
    }

    [Test]
    public async Task PutFaults_BodyOfGetFaults_IsAcceptedAsItIs()
    {
        using var current = await _client.GetAsync("/__admin/faults");

        using var response = await _client.PutFaultsAsync(await current.Content.ReadAsStringAsync());

        await response.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [TestCase("""{ "OverloadEnabled": false, "AddEventDelay": "00:00:01", "RandomSeed": 7 }""")]
    [TestCase("""{ "overloadEnabled": false, "addEventDelay": "00:00:01", "randomSeed": 7 }""")]
    [TestCase("""{ "OVERLOADENABLED": false, "addeventdelay": "00:00:01", "RandomSEED": 7 }""")]
    public async Task PutFaults_AnyNameCase_IsAccepted(string body)
    {
        using var response = await _client.PutFaultsAsync(body);

        var json = await response.ReadJsonAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json!["overloadEnabled"]!.GetValue<bool>(), Is.False);
            Assert.That(json["addEventDelay"]!.GetValue<string>(), Is.EqualTo("00:00:01"));
            Assert.That(json["randomSeed"]!.GetValue<int>(), Is.EqualTo(7));
        }
    }

    [TestCase("""{ "EventDelay": "-00:00:01" }""", "EventDelay must not be negative")]
    [TestCase("""{ "EventDelay": "soon" }""", "EventDelay must be a time span like \"00:00:02\"")]
    [TestCase("""{ "EventDelay": 2 }""", "EventDelay must be a time span like \"00:00:02\"")]
    [TestCase("""{ "AddEventDelay": "-00:00:01" }""", "AddEventDelay must not be negative")]
    [TestCase("""{ "OverloadFailureDelay": "2.00:00:00" }""", "OverloadFailureDelay must be at most 1.00:00:00")]
    [TestCase("""{ "RandomFailureRate": 1.5 }""", "RandomFailureRate must be between 0 and 1")]
    [TestCase("""{ "RandomFailureRate": -0.1 }""", "RandomFailureRate must be between 0 and 1")]
    [TestCase("""{ "RandomFailureRate": "half" }""", "RandomFailureRate must be a number between 0 and 1")]
    [TestCase("""{ "RandomSeed": 1.5 }""", "RandomSeed must be a whole number or null")]
    [TestCase("""{ "OverloadEnabled": "no" }""", "OverloadEnabled must be true or false")]
    [TestCase("""{ "OverloadCycleLength": 0 }""", "OverloadCycleLength must be at least 1")]
    [TestCase("""{ "OverloadSuccessesPerCycle": 16 }""", "OverloadSuccessesPerCycle must be between 0 and OverloadCycleLength (15)")]
    [TestCase("""{ "OverloadSuccessesPerCycle": -1 }""", "OverloadSuccessesPerCycle must be between 0 and OverloadCycleLength (15)")]
    [TestCase("""{ "EventDelya": "00:00:01" }""", "EventDelya is not a fault setting")]
    [TestCase("""{ "EventDelay": "00:00:01", "RandomFailureRate": 7 }""", "RandomFailureRate must be between 0 and 1")]
    [TestCase("""[1, 2]""", "The body must be a JSON object of fault settings")]
    [TestCase("""{ oops""", "The body must be a JSON object of fault settings")]
    public async Task PutFaults_InvalidBody_Returns400NamingTheSettingAndChangesNothing(string body, string error)
    {
        using var response = await _client.PutFaultsAsync(body);

        var json = await response.ReadJsonAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(json!["success"]!.GetValue<bool>(), Is.False);
            Assert.That(json["error"]!.GetValue<string>(), Does.Contain(error));
        }

        using var current = await _client.GetAsync("/__admin/faults");
        await current.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [Test]
    public async Task PutFaults_NullSeed_GoesUnseeded()
    {
        using var seeded = await _client.PutFaultsAsync("""{ "RandomSeed": 3 }""");
        using var response = await _client.PutFaultsAsync("""{ "RandomSeed": null }""");

        var json = await response.ReadJsonAsync();
        Assert.That(json!["randomSeed"], Is.Null);
    }

    [Test]
    public async Task PutFaults_OverloadSettings_StartANewCycleWithTheNewNumbers()
    {
        (await _client.AddEventAsync("before")).Dispose();
        using var put = await _client.PutFaultsAsync("""{ "OverloadCycleLength": 2, "OverloadSuccessesPerCycle": 1 }""");

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 4; call++)
        {
            using var response = await _client.AddEventAsync($"new-{call}");
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable,
        }));
    }

    [Test]
    public async Task Reset_AfterChanges_RestoresSeedCountersFaultsAndCycle()
    {
        // No Overload… setting in the PUT: that would restart the cycle by itself.
        (await _client.PutFaultsAsync("""{ "EventDelay": "00:00:03", "RandomFailureRate": 0.25 }""")).Dispose();
        for (var call = 0; call < 7; call++)
        {
            (await _client.AddEventAsync($"new-{call}")).Dispose();
        }

        await _client.ResetMockApiAsync();

        // Stats first: the reads below count as calls.
        using var stats = await _client.GetAsync("/__admin/stats");
        await stats.AssertJsonAsync(HttpStatusCode.OK, ZeroStats);
        using var faults = await _client.GetAsync("/__admin/faults");
        await faults.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
        using var users = await _client.GetAsync("/getUsers");
        await users.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Users);
        using var events = await _client.GetAsync("/getEvents");
        await events.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Events);
        for (var call = 0; call < 5; call++)
        {
            using var response = await _client.AddEventAsync($"again-{call}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"call {call} of the new cycle");
        }
    }

    [Test]
    public async Task Stats_AfterReset_AreZero()
    {
        (await _client.GetAsync("/getUsers")).Dispose();
        (await _client.AddEventAsync("new-1")).Dispose();

        await _client.ResetMockApiAsync();

        using var stats = await _client.GetAsync("/__admin/stats");
        await stats.AssertJsonAsync(HttpStatusCode.OK, ZeroStats);
    }
}
