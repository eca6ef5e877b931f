using System.ComponentModel.DataAnnotations;

namespace EventManagement.Application.Idempotency;

/// <summary>How long Idempotency-Key records are kept (section <c>Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key's final answer is kept and replayed to repeats.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Idempotency:Retention must be a duration from 1 minute to 30 days.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a request in flight holds its key (a repeat meanwhile is a 409). About as long as a request can take,
    /// so that a replica that dies mid-request does not block the key for long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Idempotency:InFlightTimeout must be a duration from 1 second to 1 hour.")]
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Without Redis: the most memory, in bytes, that the records kept in this process may take.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Idempotency:MemorySizeLimitBytes must be at least 1024.")]
    public long MemorySizeLimitBytes { get; set; } = 16L * 1024 * 1024;
}
