using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventManagement.Api.Contracts;

/// <summary>Reads a JSON string or a whole JSON number as a string, so that <c>"3"</c> and <c>3</c> both work.</summary>
public sealed class StringOrWholeNumberJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number when reader.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            JsonTokenType.Number => throw new JsonException("Expected a whole number."),
            _ => throw new JsonException("Expected a string or a whole number."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
