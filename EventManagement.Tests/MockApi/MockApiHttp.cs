using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.MockApi;

/// <summary>Small helpers for calling the MockApi and checking its JSON.</summary>
public static class MockApiHttp
{
    /// <summary>The exact 503 body of an overloaded POST /addEvent.</summary>
    public const string OverloadBody =
        """{ "success": false, "error": "Service temporarily unavailable", "message": "Event API is experiencing high load" }""";

    public static Task<HttpResponseMessage> AddEventAsync(
        this HttpClient client, string id, string userId = "1", string name = "Party", string? details = null)
    {
        var body = new JsonObject { ["id"] = id, ["name"] = name, ["userId"] = userId };
        if (details is not null)
        {
            body["details"] = details;
        }

        return client.SendJsonAsync(HttpMethod.Post, "/addEvent", body.ToJsonString());
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutFaultsAsync(this HttpClient client, string json) =>
        client.SendJsonAsync(HttpMethod.Put, "/__admin/faults", json);

    public static async Task ResetMockApiAsync(this HttpClient client)
    {
        using var response = await client.PostAsync("/__admin/reset", content: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "POST /__admin/reset");
    }

    public static async Task<JsonNode?> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>Asserts status and body; the body is compared as JSON (property order and spacing do not matter).</summary>
    public static async Task AssertJsonAsync(this HttpResponseMessage response, HttpStatusCode status, string expectedJson)
    {
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(expectedJson)), Is.True,
                $"expected {JsonNode.Parse(expectedJson)?.ToJsonString()}, got {body}");
        }
    }
}
