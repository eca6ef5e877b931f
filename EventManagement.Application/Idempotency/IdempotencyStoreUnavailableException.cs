namespace EventManagement.Application.Idempotency;

/// <summary>The idempotency store could not be reached; requests go on without records (their ids still protect them).</summary>
public sealed class IdempotencyStoreUnavailableException : Exception
{
    public IdempotencyStoreUnavailableException()
    {
    }

    public IdempotencyStoreUnavailableException(string message)
        : base(message)
    {
    }

    public IdempotencyStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
