using System.Text.Json.Serialization;

namespace EventManagement.MockApi.Contracts;

/// <summary>The error body of the external API: <c>{ "success": false, "error": "...", "message"?: "..." }</c>.</summary>
/// <param name="Success">Always false.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Message">More detail; only the overload 503 has it.</param>
internal sealed record ErrorResponse(
    bool Success,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null)
{
    /// <summary>The 503 body of an overloaded POST /addEvent, word for word as the original sends it.</summary>
    public static readonly ErrorResponse Overloaded =
        new(false, "Service temporarily unavailable", "Event API is experiencing high load");

    /// <summary>An error body with the given text.</summary>
    public static ErrorResponse Of(string error) => new(false, error);
}
