using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>MockApi:DataDirectory pointing at a folder of our own, as a benchmark's generated data would.</summary>
[TestFixture]
public sealed class MockApiDataDirectoryTests
{
    private const string Users = """[{ "id": "u1", "userName": "ann", "email": "ann@example.com", "events": ["e1"] }]""";
    private const string Events = """[{ "id": "e1", "name": "Gala", "userId": "u1", "details": "Black tie" }]""";

    private string _directory = null!;
    private MockApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartMockApi()
    {
        _directory = Directory.CreateTempSubdirectory("mockapi-data-").FullName;
        WriteSeed(Users, Events);
        _factory = new MockApiFactory(("MockApi:DataDirectory", _directory));
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopMockApi()
    {
        _client.Dispose();
        _factory.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public async Task ResetAsync()
    {
        WriteSeed(Users, Events);
        await _client.ResetMockApiAsync();
    }

    [Test]
    public async Task GetUsers_OwnDataDirectory_ServesItsUsers()
    {
        using var response = await _client.GetAsync("/getUsers");

        await response.AssertJsonAsync(HttpStatusCode.OK, Users);
    }

    [Test]
    public async Task Reset_AfterTheFilesChanged_ReadsThemAgain()
    {
        const string NewEvents = """[{ "id": "e2", "name": "Picnic", "userId": "u1" }]""";
        WriteSeed(Users, NewEvents);

        await _client.ResetMockApiAsync();

        using var response = await _client.GetAsync("/getEvents");
        await response.AssertJsonAsync(HttpStatusCode.OK, NewEvents);
    }

    [TestCase("""[{ "id": "e9", "name": "Orphan", "userId": "nobody" }]""", "unknown user 'nobody'")]
    [TestCase("""[{ "id": "e1", "name": "A", "userId": "u1" }, { "id": "e1", "name": "B", "userId": "u1" }]""", "'e1' is missing or repeated")]
    [TestCase("""{ "not": "an array" }""", "Cannot read seed data")]
    [TestCase("""[null]""", "must hold a JSON array of objects")]
    public async Task Reset_BrokenFile_Returns500AndKeepsTheData(string events, string error)
    {
        (await _client.AddEventAsync("kept", userId: "u1")).Dispose();
        WriteSeed(Users, events);

        using var reset = await _client.PostAsync("/__admin/reset", content: null);

        var json = await reset.ReadJsonAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(json!["error"]!.GetValue<string>(), Does.Contain(error));
        }

        using var kept = await _client.GetAsync("/getEventById/kept");
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private void WriteSeed(string users, string events)
    {
        File.WriteAllText(Path.Combine(_directory, "users.json"), users);
        File.WriteAllText(Path.Combine(_directory, "events.json"), events);
    }
}
