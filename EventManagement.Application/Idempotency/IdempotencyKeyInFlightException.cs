namespace EventManagement.Application.Idempotency;

/// <summary>A request with the same Idempotency-Key and body is still in flight (HTTP 409).</summary>
public sealed class IdempotencyKeyInFlightException : Exception
{
    public IdempotencyKeyInFlightException()
        : base("A request with this Idempotency-Key is still in progress.")
    {
    }

    public IdempotencyKeyInFlightException(string message)
        : base(message)
    {
    }

    public IdempotencyKeyInFlightException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
