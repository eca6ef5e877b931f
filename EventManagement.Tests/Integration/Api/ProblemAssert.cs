using System.Net;
using System.Text.Json;

namespace EventManagement.Tests.Integration.Api;

/// <summary>Checks that a response is the one error format: RFC 9457 problem details plus the original fields.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var scope = Assert.EnterMultipleScope();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        foreach (var field in new[] { "type", "title", "detail", "traceId", "message" })
        {
            Assert.That(problem.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, Is.True, $"'{field}' missing in {body}");
        }

        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status), body);
        Assert.That(problem.GetProperty("success").GetBoolean(), Is.False, body);
        if (message is not null)
        {
            Assert.That(problem.GetProperty("message").GetString(), Is.EqualTo(message), body);
        }

        Assert.That(body, Does.Not.Contain("   at "), "no stack trace");
        return problem;
    }
}
