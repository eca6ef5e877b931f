namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>
/// A fault of the protected dependency (think: a 5xx that outlived the retries). The breaker tests' isFailure
/// returns true for it.
/// </summary>
public sealed class TransientTestException : Exception
{
    public TransientTestException()
        : base("Simulated transient failure of the external API.")
    {
    }

    public TransientTestException(string message)
        : base(message)
    {
    }

    public TransientTestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An answer rather than a fault (think: a 404). The breaker tests' isFailure returns false for it.
/// </summary>
public sealed class NonTransientTestException : Exception
{
    public NonTransientTestException()
        : base("Simulated non-transient answer of the external API.")
    {
    }

    public NonTransientTestException(string message)
        : base(message)
    {
    }

    public NonTransientTestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
