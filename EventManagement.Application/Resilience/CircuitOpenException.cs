namespace EventManagement.Application.Resilience;

/// <summary>The circuit breaker refused a call without making it.</summary>
public sealed class CircuitOpenException : Exception
{
    public CircuitOpenException(TimeSpan retryAfter)
        : base($"The circuit breaker is open; try again in {retryAfter.TotalSeconds:0} s.") => RetryAfter = retryAfter;

    /// <summary>Whole seconds (at least one) until the breaker lets a call through again.</summary>
    public TimeSpan RetryAfter { get; }
}
