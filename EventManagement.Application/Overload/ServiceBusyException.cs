namespace EventManagement.Application.Overload;

/// <summary>
/// The Api refused work it cannot do in time: the request would not finish within its deadline given the work
/// already admitted, or the queue for the external API is full. Nothing was sent for it. Clients see 503
/// <c>service busy</c> with <c>Retry-After</c>.
/// </summary>
public sealed class ServiceBusyException : Exception
{
    public ServiceBusyException(string message, TimeSpan retryAfter)
        : base(message) => RetryAfter = retryAfter;

    public ServiceBusyException()
        : this("The Api is busy.", TimeSpan.FromSeconds(1))
    {
    }

    public ServiceBusyException(string message)
        : this(message, TimeSpan.FromSeconds(1))
    {
    }

    public ServiceBusyException(string message, Exception innerException)
        : base(message, innerException) => RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Whole seconds (at least one) after which capacity is expected.</summary>
    public TimeSpan RetryAfter { get; }
}
