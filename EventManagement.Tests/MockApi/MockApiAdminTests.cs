using System.Net;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiAdminTests : MockApiTestBase
{
    private const string ConfiguredFaults = """
        {
          "eventDelay": "00:00:00.0500000", "randomFailureRate": 0, "randomSeed": null,
          "overloadEnabled": true, "overloadCycleLength": 15, "overloadSuccessesPerCycle": 5,
          "overloadFailureDelay": "00:00:00", "addEventDelay": "00:00:00", "eventFailureRate": 0
        }
        """;

    private const string ZeroStats = """
        { "routes": {
          "GET /getUsers": { "calls": 0, "failures": 0 }, "GET /getUserById": { "calls": 0, "failures": 0 },
          "GET /getEvents": { "calls": 0, "failures": 0 }, "GET /getEventById": { "calls": 0, "failures": 0 },
          "POST /addEvent": { "calls": 0, "failures": 0 } },
          "eventLookups": { "inFlight": 0, "peakInFlight": 0, "distinctIds": 0, "idsLookedUpMoreThanOnce": 0 } }
        """;

    [Test]
    public async Task Stats_AfterCalls_CountsEveryCallAndTheDeliberateFailuresPerRoute()
    {
        (await Client.GetAsync("/getUsers")).Dispose();
        (await Client.GetAsync("/getUsers")).Dispose();
        (await Client.GetAsync("/getUserById/1")).Dispose();
        (await Client.GetAsync("/getUserById/nobody")).Dispose();
        (await Client.GetAsync("/getEvents")).Dispose();
        (await Client.GetAsync("/getEventById/event-1")).Dispose();
        (await Client.GetAsync("/getEventById/nothing")).Dispose();
        (await Client.SendJsonAsync(HttpMethod.Post, "/addEvent", "{oops")).Dispose();
        (await Client.AddEventAsync("new-x", userId: "nobody")).Dispose();
        for (var call = 0; call < 7; call++)
        {
            (await Client.AddEventAsync($"new-{call}")).Dispose();
        }

        using var stats = await Client.GetAsync("/__admin/stats");

        await stats.AssertJsonAsync(HttpStatusCode.OK, """
            { "routes": {
              "GET /getUsers": { "calls": 2, "failures": 0 }, "GET /getUserById": { "calls": 2, "failures": 0 },
              "GET /getEvents": { "calls": 1, "failures": 0 }, "GET /getEventById": { "calls": 2, "failures": 0 },
              "POST /addEvent": { "calls": 9, "failures": 2 } },
              "eventLookups": { "inFlight": 0, "peakInFlight": 1, "distinctIds": 2, "idsLookedUpMoreThanOnce": 0 } }
            """);
    }

    [Test]
    public async Task GetFaults_AtStart_ReturnsTheConfiguredSettings()
    {
        using var response = await Client.GetAsync("/__admin/faults");

        await response.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [Test]
    public async Task PutFaults_PartialBody_ChangesOnlyTheNamedSettingsAndAnswersAllOfThem()
    {
        using var response = await Client.PutFaultsAsync("""{ "EventDelay": "00:00:02", "RandomFailureRate": 0.5 }""");

        const string Expected = """
            {
              "eventDelay": "00:00:02", "randomFailureRate": 0.5, "randomSeed": null,
              "overloadEnabled": true, "overloadCycleLength": 15, "overloadSuccessesPerCycle": 5,
              "overloadFailureDelay": "00:00:00", "addEventDelay": "00:00:00", "eventFailureRate": 0
            }
            """;
        await response.AssertJsonAsync(HttpStatusCode.OK, Expected);
        using var current = await Client.GetAsync("/__admin/faults");
        await current.AssertJsonAsync(HttpStatusCode.OK, Expected);
    }

    [Test]
    public async Task PutFaults_BodyOfGetFaults_IsAcceptedAsItIs()
    {
        using var current = await Client.GetAsync("/__admin/faults");

        using var response = await Client.PutFaultsAsync(await current.Content.ReadAsStringAsync());

        await response.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [TestCase("""{ "OverloadEnabled": false, "AddEventDelay": "00:00:01", "RandomSeed": 7 }""")]
    [TestCase("""{ "overloadEnabled": false, "addEventDelay": "00:00:01", "randomSeed": 7 }""")]
    [TestCase("""{ "OVERLOADENABLED": false, "addeventdelay": "00:00:01", "RandomSEED": 7 }""")]
    public async Task PutFaults_AnyNameCase_IsAccepted(string body)
    {
        using var response = await Client.PutFaultsAsync(body);

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
        using var response = await Client.PutFaultsAsync(body);

        var json = await response.ReadJsonAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(json!["success"]!.GetValue<bool>(), Is.False);
            Assert.That(json["error"]!.GetValue<string>(), Does.Contain(error));
        }

        using var current = await Client.GetAsync("/__admin/faults");
        await current.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
    }

    [Test]
    public async Task PutFaults_NullSeed_GoesUnseeded()
    {
        using var seeded = await Client.PutFaultsAsync("""{ "RandomSeed": 3 }""");
        using var response = await Client.PutFaultsAsync("""{ "RandomSeed": null }""");

        var json = await response.ReadJsonAsync();
        Assert.That(json!["randomSeed"], Is.Null);
    }

    [Test]
    public async Task PutFaults_OverloadSettings_StartANewCycleWithTheNewNumbers()
    {
        (await Client.AddEventAsync("before")).Dispose();
        using var put = await Client.PutFaultsAsync("""{ "OverloadCycleLength": 2, "OverloadSuccessesPerCycle": 1 }""");

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 4; call++)
        {
            using var response = await Client.AddEventAsync($"new-{call}");
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
        (await Client.PutFaultsAsync("""{ "EventDelay": "00:00:03", "RandomFailureRate": 0.25 }""")).Dispose();
        for (var call = 0; call < 7; call++)
        {
            (await Client.AddEventAsync($"new-{call}")).Dispose();
        }

        await Client.ResetMockApiAsync();

        // Stats first: the reads below count as calls.
        using var stats = await Client.GetAsync("/__admin/stats");
        await stats.AssertJsonAsync(HttpStatusCode.OK, ZeroStats);
        using var faults = await Client.GetAsync("/__admin/faults");
        await faults.AssertJsonAsync(HttpStatusCode.OK, ConfiguredFaults);
        using var users = await Client.GetAsync("/getUsers");
        await users.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Users);
        using var events = await Client.GetAsync("/getEvents");
        await events.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Events);
        for (var call = 0; call < 5; call++)
        {
            using var response = await Client.AddEventAsync($"again-{call}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"call {call} of the new cycle");
        }
    }

    [Test]
    public async Task Stats_AfterReset_AreZero()
    {
        (await Client.GetAsync("/getUsers")).Dispose();
        (await Client.AddEventAsync("new-1")).Dispose();

        await Client.ResetMockApiAsync();

        using var stats = await Client.GetAsync("/__admin/stats");
        await stats.AssertJsonAsync(HttpStatusCode.OK, ZeroStats);
    }
}
