using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Validation;

/// <summary>
/// An <c>Idempotency-Key</c> header: a quoted string (the draft's form) or a bare token of 1 to 200 visible ASCII
/// characters. Absent passes.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class IdempotencyKeyAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || IdempotencyKeyHeader.TryParse((string)value, out _)
            ? ValidationResult.Success
            : new ValidationResult(
                $"Idempotency-Key must be a quoted string or 1 to {InputRules.IdempotencyKeyMaxLength} visible ASCII characters.");
}
