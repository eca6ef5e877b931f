using System.Text.Json;
using System.Text.Json.Serialization;
using EventManagement.MockApi.Contracts;
using EventManagement.MockApi.Data;
using EventManagement.MockApi.Faults;
using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Serialization;

/// <summary>Source-generated JSON metadata for every type the MockApi reads or writes.</summary>
/// <remarks>
/// Web defaults: camelCase names, case-insensitive reading. The array types are listed because the store hands out
/// arrays behind <see cref="IReadOnlyList{T}"/>, and ASP.NET Core serializes a result by its runtime type.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<MockUser>))]
[JsonSerializable(typeof(List<MockEvent>))]
[JsonSerializable(typeof(IReadOnlyList<MockUser>))]
[JsonSerializable(typeof(IReadOnlyList<MockEvent>))]
[JsonSerializable(typeof(MockUser[]))]
[JsonSerializable(typeof(MockEvent[]))]
[JsonSerializable(typeof(AddEventRequest))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(RecordedRequest[]))]
internal sealed partial class MockJsonContext : JsonSerializerContext;
