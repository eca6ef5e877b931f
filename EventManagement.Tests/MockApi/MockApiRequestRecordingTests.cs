using System.Net;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiRequestRecordingTests : MockApiTestBase
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Test]
    public async Task Requests_AfterCalls_ListsEachExternalApiCallWithItsTraceParentOldestFirst()
    {
        using (var traced = new HttpRequestMessage(HttpMethod.Get, "/getEventById/event-1"))
        {
            traced.Headers.Add("traceparent", TraceParent);
            (await Client.SendAsync(traced)).Dispose();
        }

        (await Client.GetAsync("/getUsers?page=1")).Dispose();
        (await Client.GetAsync("/healthz")).Dispose();
        (await Client.GetAsync("/__admin/stats")).Dispose();

        var requests = await RequestsAsync();

        Assert.That(requests.Select(request => (request!["method"]!.GetValue<string>(), request["path"]!.GetValue<string>(), request["traceParent"]?.GetValue<string>())), Is.EqualTo(new[]
        {
            ("GET", "/getEventById/event-1", (string?)TraceParent),
            ("GET", "/getUsers?page=1", null),
        }));
    }

    [Test]
    public async Task Reset_AfterCalls_ForgetsTheRecordedRequests()
    {
        (await Client.GetAsync("/getUsers")).Dispose();

        await ResetAsync();

        Assert.That(await RequestsAsync(), Is.Empty);
    }

    private async Task<JsonArray> RequestsAsync()
    {
        using var response = await Client.GetAsync("/__admin/requests");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }
}
