using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Validation;

/// <summary>
/// Free text of an event: at most <see cref="MaxLength"/> characters after trimming, at least one when
/// <see cref="Required"/>, and no control characters (tab and newline allowed when <see cref="AllowTabAndNewline"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EventTextAttribute(int maxLength) : ValidationAttribute
{
    public int MaxLength { get; } = maxLength;

    public bool Required { get; init; }

    public bool AllowTabAndNewline { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var name = validationContext.DisplayName;
        string[] members = validationContext.MemberName is null ? [] : [validationContext.MemberName];
        if (value is null)
        {
            return Required ? new ValidationResult($"{name} is required.", members) : ValidationResult.Success;
        }

        var text = ((string)value).Trim();
        if (Required && text.Length == 0)
        {
            return new ValidationResult($"{name} must not be empty.", members);
        }

        if (text.Length > MaxLength)
        {
            return new ValidationResult($"{name} must be at most {MaxLength} characters.", members);
        }

        return InputRules.HasControlCharacter(text, AllowTabAndNewline)
            ? new ValidationResult(
                AllowTabAndNewline
                    ? $"{name} must not contain control characters other than tab and newline."
                    : $"{name} must not contain control characters.",
                members)
            : ValidationResult.Success;
    }
}
