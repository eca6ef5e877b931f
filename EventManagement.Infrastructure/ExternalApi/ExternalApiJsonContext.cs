using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>Source-generated JSON metadata for the external API's contract types (Refit never falls back to reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<UserContract>))]
[JsonSerializable(typeof(UserContract))]
[JsonSerializable(typeof(List<EventContract>))]
[JsonSerializable(typeof(EventContract))]
[JsonSerializable(typeof(AddEventResponseContract))]
public sealed partial class ExternalApiJsonContext : JsonSerializerContext;
