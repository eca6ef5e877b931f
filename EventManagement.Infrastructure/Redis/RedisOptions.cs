using System.ComponentModel.DataAnnotations;

namespace EventManagement.Infrastructure.Redis;

/// <summary>
/// Where the state that replicas share lives (section <c>Cache</c>, key <c>Redis</c>): the event cache's distributed
/// tier and the Idempotency-Key records. Empty (the default) keeps everything in this process's memory.
/// </summary>
public sealed class RedisOptions : IValidatableObject
{
    public const string SectionName = "Cache";

    /// <summary>A StackExchange.Redis connection string, for example <c>localhost:6379</c>; empty for none.</summary>
    public string Redis { get; set; } = string.Empty;

    /// <summary>True when a Redis server is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Redis);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        string? problem = null;
        try
        {
            RedisConfiguration.From(Redis);
        }
        catch (ArgumentException exception)
        {
            problem = exception.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult(
                $"Cache:Redis must be a StackExchange.Redis connection string such as 'localhost:6379': {problem}",
                [nameof(Redis)]);
        }
    }
}
