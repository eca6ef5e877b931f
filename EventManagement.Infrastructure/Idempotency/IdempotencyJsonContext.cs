using System.Text.Json.Serialization;

namespace EventManagement.Infrastructure.Idempotency;

/// <summary>Source-generated JSON for the records kept in Redis.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredIdempotencyEntry))]
internal sealed partial class IdempotencyJsonContext : JsonSerializerContext;
