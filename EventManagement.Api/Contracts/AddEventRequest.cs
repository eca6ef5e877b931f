using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using EventManagement.Api.Validation;

namespace EventManagement.Api.Contracts;

/// <summary>The body of POST /addEvent. Unknown fields are ignored.</summary>
public sealed class AddEventRequest
{
    /// <summary>The event's name: 1 to 200 characters after trimming, no control characters.</summary>
    /// <example>Team offsite</example>
    [Required(ErrorMessage = "name is required.")]
    [EventText(InputRules.NameMaxLength, Required = true)]
    public string? Name { get; init; }

    /// <summary>The id of the user who owns the event: a string or a whole number (<c>"3"</c> and <c>3</c> both work).</summary>
    /// <example>3</example>
    [Required(ErrorMessage = "userId is required.")]
    [Identifier]
    [JsonConverter(typeof(StringOrWholeNumberJsonConverter))]
    public string? UserId { get; init; }

    /// <summary>Optional free text: at most 2000 characters; tab and newline are the only control characters allowed.</summary>
    /// <example>Two days in the mountains.</example>
    [EventText(InputRules.DetailsMaxLength, AllowTabAndNewline = true)]
    public string? Details { get; init; }
}
