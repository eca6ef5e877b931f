using System.Text.Json.Nodes;
using EventManagement.Api.Contracts;
using EventManagement.Application.Events;
using EventManagement.Application.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EventManagement.Api.OpenApi;

/// <summary>Realistic examples in Swagger UI, taken from the seed data and from real error answers.</summary>
public sealed class ExamplesSchemaFilter : ISchemaFilter
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(UserDto)] = """{"id":"1","userName":"user1","email":"hello@gmail.com","events":["event-1","event-3"]}""",
        [typeof(EventDto)] = """{"id":"event-1","name":"Event 1","userId":"1","details":"This is the first event"}""",
        [typeof(AddEventResponse)] = """{"success":true,"event":{"id":"evt-5f0c1d2e3b4a49d8a1f2e3d4c5b6a798","name":"New Event","userId":"3","details":"This is a new event"}}""",
        [typeof(ProblemDetails)] = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"Service Unavailable","status":503,"detail":"The events API is failing, so the Api is not calling it for now. Try again after the time in Retry-After.","traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00","success":false,"message":"service down, try later"}""",
        [typeof(ValidationProblemDetails)] = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"detail":"name must not be empty.","errors":{"name":["name must not be empty."]},"traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00","success":false,"message":"invalid request"}""",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (schema is OpenApiSchema concrete && Examples.TryGetValue(context.Type, out var example))
        {
            concrete.Examples = [JsonNode.Parse(example)!];
        }
    }
}
