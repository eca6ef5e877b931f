using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>MockApi:DataDirectory pointing at a folder of our own, as a benchmark's generated data would.</summary>
[TestFixture]
public sealed class MockApiDataDirectoryTests : MockApiTestBase
{
    private const string Users = """[{ "id": "u1", "userName": "ann", "email": "ann@example.com", "events": ["e1"] }]""";
    private const string Events = """[{ "id": "e1", "name": "Gala", "userId": "u1", "details": "Black tie" }]""";

    private string _directory = null!;

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes the seed back before the reset that every test starts with (a test may have changed it).</summary>
    [SetUp]
    public override async Task ResetAsync()
    {
        WriteSeed(Users, Events);
        await base.ResetAsync();
    }

    private protected override MockApiFactory CreateFactory()
    {
        _directory = Directory.CreateTempSubdirectory("mockapi-data-").FullName;
        WriteSeed(Users, Events);
        return new(("MockApi:DataDirectory", _directory));
    }

    [Test]
    public async Task GetUsers_OwnDataDirectory_ServesItsUsers()
    {
        using var response = await Client.GetAsync("/getUsers");

        await response.AssertJsonAsync(HttpStatusCode.OK, Users);
    }

    [Test]
    public async Task Reset_AfterTheFilesChanged_ReadsThemAgain()
    {
        const string NewEvents = """[{ "id": "e2", "name": "Picnic", "userId": "u1" }]""";
        WriteSeed(Users, NewEvents);

        await Client.ResetMockApiAsync();

        using var response = await Client.GetAsync("/getEvents");
        await response.AssertJsonAsync(HttpStatusCode.OK, NewEvents);
    }

    [TestCase("""[{ "id": "e9", "name": "Orphan", "userId": "nobody" }]""", "unknown user 'nobody'")]
    [TestCase("""[{ "id": "e1", "name": "A", "userId": "u1" }, { "id": "e1", "name": "B", "userId": "u1" }]""", "'e1' is missing or repeated")]
    [TestCase("""{ "not": "an array" }""", "Cannot read seed data")]
    [TestCase("""[null]""", "must hold a JSON array of objects")]
    public async Task Reset_BrokenFile_Returns500AndKeepsTheData(string events, string error)
    {
        (await Client.AddEventAsync("kept", userId: "u1")).Dispose();
        WriteSeed(Users, events);

        using var reset = await Client.PostAsync("/__admin/reset", content: null);

        var json = await reset.ReadJsonAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(json!["error"]!.GetValue<string>(), Does.Contain(error));
        }

        using var kept = await Client.GetAsync("/getEventById/kept");
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private void WriteSeed(string users, string events)
    {
        File.WriteAllText(Path.Combine(_directory, "users.json"), users);
        File.WriteAllText(Path.Combine(_directory, "events.json"), events);
    }
}
