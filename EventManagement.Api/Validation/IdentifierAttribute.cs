using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Validation;

/// <summary>An id: 1 to 64 letters, digits, '-' or '_'. Null passes (pair with [Required] where needed).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IdentifierAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is null || InputRules.IsValidId(value as string)
            ? ValidationResult.Success
            : new ValidationResult(
                $"{validationContext.DisplayName} must be 1 to {InputRules.IdMaxLength} letters, digits, '-' or '_'.",
                MemberNames(validationContext));
    }

    private static string[]? MemberNames(ValidationContext context) =>
        context.MemberName is null ? null : [context.MemberName];
}
