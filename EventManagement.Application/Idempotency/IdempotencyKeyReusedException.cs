namespace EventManagement.Application.Idempotency;

/// <summary>The Idempotency-Key was already used for this user with a different request (HTTP 422).</summary>
public sealed class IdempotencyKeyReusedException : Exception
{
    public IdempotencyKeyReusedException()
        : base("This Idempotency-Key was already used with a different request.")
    {
    }

    public IdempotencyKeyReusedException(string message)
        : base(message)
    {
    }

    public IdempotencyKeyReusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
