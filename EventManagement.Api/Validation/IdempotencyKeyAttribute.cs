using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Validation;

/// <summary>An <c>Idempotency-Key</c> header: 1 to 200 visible ASCII characters. Absent passes.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class IdempotencyKeyAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        var key = (string)value;
        var valid = key.Length is > 0 and <= InputRules.IdempotencyKeyMaxLength && key.All(static c => c is >= '!' and <= '~');
        return valid
            ? ValidationResult.Success
            : new ValidationResult($"Idempotency-Key must be 1 to {InputRules.IdempotencyKeyMaxLength} visible ASCII characters.");
    }
}
