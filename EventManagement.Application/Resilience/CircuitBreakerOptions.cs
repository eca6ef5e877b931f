using System.ComponentModel.DataAnnotations;

namespace EventManagement.Application.Resilience;

/// <summary>Settings of the circuit breaker around POST /addEvent (section <c>CircuitBreaker</c>).</summary>
public sealed class CircuitBreakerOptions
{
    public const string SectionName = "CircuitBreaker";

    /// <summary>Failures inside <see cref="SamplingWindow"/> that open the breaker.</summary>
    [Range(1, 10_000, ErrorMessage = "CircuitBreaker:FailureThreshold must be a whole number from 1 to 10000.")]
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How far back failures count. A failure exactly this old no longer counts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "CircuitBreaker:SamplingWindow must be a duration from 1 ms to 1 day.")]
    public TimeSpan SamplingWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before it lets one probe through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "CircuitBreaker:BreakDuration must be a duration from 1 ms to 1 day.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
