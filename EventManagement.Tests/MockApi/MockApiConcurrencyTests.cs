using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>Many calls at once: nothing lost, nothing doubled, the overload cycle still exact.</summary>
[TestFixture]
public sealed class MockApiConcurrencyTests : MockApiTestBase
{
    private protected override MockApiFactory CreateFactory() => new(("MockApi:OverloadEnabled", "false"));

    [Test]
    public async Task AddEvent_TwoHundredConcurrentDistinctEvents_AreAllStoredExactlyOnce()
    {
        var ids = Enumerable.Range(0, 200).Select(i => $"new-{i}").ToList();

        var statuses = await SendAllAsync(ids.Select((id, i) => Client.AddEventAsync(id, userId: $"{(i % 3) + 1}")));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        var events = (await GetJsonArrayAsync("/getEvents")).Select(e => e!["id"]!.GetValue<string>()).ToList();
        var listed = (await GetJsonArrayAsync("/getUsers"))
            .SelectMany(user => user!["events"]!.AsArray().Select(e => e!.GetValue<string>()))
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Where(id => id.StartsWith("new-", StringComparison.Ordinal)), Is.EquivalentTo(ids));
            Assert.That(listed.Where(id => id.StartsWith("new-", StringComparison.Ordinal)), Is.EquivalentTo(ids));
            Assert.That(events, Has.Count.EqualTo(204));
        }
    }

    [Test]
    public async Task AddEvent_FiftyConcurrentCallsWithOneId_StoreItOnce()
    {
        var statuses = await SendAllAsync(Enumerable.Range(0, 50).Select(_ => Client.AddEventAsync("same", userId: "2")));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        using var user = await Client.GetAsync("/getUserById/2");
        await user.AssertJsonAsync(HttpStatusCode.OK,
            """{ "id": "2", "userName": "user2", "email": "hello2@gmail.com", "events": ["event-2", "same"] }""");
    }

    [Test]
    public async Task AddEvent_OneHundredFiftyConcurrentCallsWithOverload_ExactlyFiveInFifteenSucceed()
    {
        (await Client.PutFaultsAsync("""{ "OverloadEnabled": true }""")).Dispose();

        var statuses = await SendAllAsync(Enumerable.Range(0, 150).Select(i => Client.AddEventAsync($"new-{i}")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses.Count(status => status == HttpStatusCode.OK), Is.EqualTo(50));
            Assert.That(statuses.Count(status => status == HttpStatusCode.ServiceUnavailable), Is.EqualTo(100));
        }

        using var stats = await Client.GetAsync("/__admin/stats");
        var counts = (await stats.ReadJsonAsync())!["routes"]!["POST /addEvent"]!;
        Assert.That(counts.ToJsonString(), Is.EqualTo("""{"calls":150,"failures":100}"""));
    }

    private static async Task<HttpStatusCode[]> SendAllAsync(IEnumerable<Task<HttpResponseMessage>> requests)
    {
        var responses = await Task.WhenAll(requests);
        var statuses = responses.Select(response => response.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        return statuses;
    }

    private async Task<System.Text.Json.Nodes.JsonArray> GetJsonArrayAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (await response.ReadJsonAsync())!.AsArray();
    }
}
