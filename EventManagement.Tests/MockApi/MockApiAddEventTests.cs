using System.Net;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiAddEventTests : MockApiTestBase
{
    private const string Success = """{ "success": true }""";

    [Test]
    public async Task AddEvent_FifteenValidCalls_FiveSucceedThenTenAreOverloadedThenTheNextCycleSucceeds()
    {
        for (var call = 0; call < 16; call++)
        {
            using var response = await Client.AddEventAsync($"new-{call}");

            if (call is < 5 or 15)
            {
                await response.AssertJsonAsync(HttpStatusCode.OK, Success);
            }
            else
            {
                await response.AssertJsonAsync(HttpStatusCode.ServiceUnavailable, MockApiHttp.OverloadBody);
            }
        }
    }

    [Test]
    public async Task AddEvent_InvalidCallsBetweenValidOnes_DoNotCountInTheCycle()
    {
        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 6; call++)
        {
            foreach (var invalid in new[] { "{oops", """{ "id": "x", "name": "n" }""", """{ "id": "x", "name": "n", "userId": "99" }""" })
            {
                using var refused = await Client.SendJsonAsync(HttpMethod.Post, "/addEvent", invalid);
                Assert.That(refused.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound));
            }

            using var response = await Client.AddEventAsync($"new-{call}");
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.ServiceUnavailable)));
    }

    [TestCase("{oops")]
    [TestCase("")]
    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("""{ "id": 7, "name": "n", "userId": "1" }""")]
    [TestCase("""{ "id": "x", "name": "n", "userId": 1 }""")]
    public async Task AddEvent_MalformedBody_Returns400(string body)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/addEvent", body);

        await response.AssertJsonAsync(HttpStatusCode.BadRequest,
            """{ "success": false, "error": "The body must be a JSON object { \"id\", \"name\", \"userId\", \"details\"? } with string values" }""");
    }

    [TestCase("""{ "name": "n", "userId": "1" }""", "id is required")]
    [TestCase("""{ "id": "", "name": "n", "userId": "1" }""", "id is required")]
    [TestCase("""{ "id": "x", "userId": "1" }""", "name is required")]
    [TestCase("""{ "id": "x", "name": " ", "userId": "1" }""", "name is required")]
    [TestCase("""{ "id": "x", "name": "n" }""", "userId is required")]
    [TestCase("""{ "id": "x", "name": "n", "userId": "" }""", "userId is required")]
    public async Task AddEvent_MissingOrEmptyField_Returns400NamingTheField(string body, string error)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/addEvent", body);

        await response.AssertJsonAsync(HttpStatusCode.BadRequest, $$"""{ "success": false, "error": "{{error}}" }""");
    }

    [Test]
    public async Task AddEvent_UnknownUser_Returns404AndStoresNothing()
    {
        using var response = await Client.AddEventAsync("new-1", userId: "99");

        await response.AssertJsonAsync(HttpStatusCode.NotFound, """{ "success": false, "error": "User not found" }""");
        using var events = await Client.GetAsync("/getEvents");
        await events.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Events);
    }

    [Test]
    public async Task AddEvent_ValidEvent_IsServedByGetEventByIdAndListedForTheUser()
    {
        using var response = await Client.AddEventAsync("new-1", userId: "2", name: "Launch", details: "Rocket");
        await response.AssertJsonAsync(HttpStatusCode.OK, Success);

        const string Added = """{ "id": "new-1", "name": "Launch", "userId": "2", "details": "Rocket" }""";
        using var byId = await Client.GetAsync("/getEventById/new-1");
        await byId.AssertJsonAsync(HttpStatusCode.OK, Added);
        using var user = await Client.GetAsync("/getUserById/2");
        await user.AssertJsonAsync(HttpStatusCode.OK,
            """{ "id": "2", "userName": "user2", "email": "hello2@gmail.com", "events": ["event-2", "new-1"] }""");
        using var events = await Client.GetAsync("/getEvents");
        await events.AssertJsonAsync(HttpStatusCode.OK,
            $"[{SeedJson.Event1}, {SeedJson.Event2}, {SeedJson.Event3}, {SeedJson.Event4}, {Added}]");
    }

    [Test]
    public async Task AddEvent_WithoutDetails_StoresTheEventWithoutDetails()
    {
        using var response = await Client.AddEventAsync("new-1", userId: "3", name: "Quiet");
        await response.AssertJsonAsync(HttpStatusCode.OK, Success);

        using var byId = await Client.GetAsync("/getEventById/new-1");
        await byId.AssertJsonAsync(HttpStatusCode.OK, """{ "id": "new-1", "name": "Quiet", "userId": "3" }""");
    }

    [Test]
    public async Task AddEvent_SameIdAgain_SucceedsWithoutASecondEntry()
    {
        using var first = await Client.AddEventAsync("new-1", userId: "3", name: "First");
        using var second = await Client.AddEventAsync("new-1", userId: "3", name: "Second");

        await second.AssertJsonAsync(HttpStatusCode.OK, Success);
        using var user = await Client.GetAsync("/getUserById/3");
        await user.AssertJsonAsync(HttpStatusCode.OK,
            """{ "id": "3", "userName": "user3", "email": "hello3@gmail.com", "events": ["event-4", "new-1"] }""");
        using var byId = await Client.GetAsync("/getEventById/new-1");
        await byId.AssertJsonAsync(HttpStatusCode.OK, """{ "id": "new-1", "name": "First", "userId": "3" }""");
    }

    [Test]
    public async Task AddEvent_SeedEventId_SucceedsAndChangesNothing()
    {
        using var response = await Client.AddEventAsync("event-1", userId: "2");

        await response.AssertJsonAsync(HttpStatusCode.OK, Success);
        using var users = await Client.GetAsync("/getUsers");
        await users.AssertJsonAsync(HttpStatusCode.OK, SeedJson.Users);
    }

    [Test]
    public async Task AddEvent_Overloaded_StoresNothing()
    {
        for (var call = 0; call < 5; call++)
        {
            using var accepted = await Client.AddEventAsync($"new-{call}");
        }

        using var response = await Client.AddEventAsync("refused");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        using var byId = await Client.GetAsync("/getEventById/refused");
        Assert.That(byId.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AddEvent_OverloadDisabled_AllCallsSucceed()
    {
        using var put = await Client.PutFaultsAsync("""{ "OverloadEnabled": false }""");

        for (var call = 0; call < 20; call++)
        {
            using var response = await Client.AddEventAsync($"new-{call}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"call {call}");
        }
    }
}
