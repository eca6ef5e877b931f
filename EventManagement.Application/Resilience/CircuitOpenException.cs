namespace EventManagement.Application.Resilience;

/// <summary>The circuit breaker refused a call without making it.</summary>
public sealed class CircuitOpenException : Exception
{
    public CircuitOpenException(TimeSpan retryAfter)
        : base($"The circuit breaker is open; try again in {retryAfter.TotalSeconds:0} s.") => RetryAfter = retryAfter;

    public CircuitOpenException()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    public CircuitOpenException(string message)
        : base(message) => RetryAfter = TimeSpan.FromSeconds(1);

    public CircuitOpenException(string message, Exception innerException)
        : base(message, innerException) => RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Whole seconds (at least one) until the breaker lets a call through again.</summary>
    public TimeSpan RetryAfter { get; }
}
