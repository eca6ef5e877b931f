using System.Text.Json;
using System.Text.Json.Serialization;
using EventManagement.Application.Events;
using EventManagement.Application.Users;

namespace EventManagement.Api.Contracts;

/// <summary>
/// Source-generated JSON for what the controllers answer, first in MVC's resolver chain: the answers are written
/// by generated code instead of reflection-built converters. The options match MVC's (web defaults, nulls
/// written), so the generated fast path applies; any other type still falls back to the default resolver.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EventDto[]))]
[JsonSerializable(typeof(IReadOnlyList<EventDto>))]
[JsonSerializable(typeof(UserDto[]))]
[JsonSerializable(typeof(IReadOnlyList<UserDto>))]
[JsonSerializable(typeof(AddEventResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
