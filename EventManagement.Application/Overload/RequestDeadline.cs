namespace EventManagement.Application.Overload;

/// <summary>
/// The deadline of the request being served (<c>Requests:Timeout</c>): it bounds everything the request does,
/// queueing for the external API included. It flows with the async context, as <see cref="System.Diagnostics.Activity.Current"/>
/// does, so that the call budget below the services can tell requests apart (fairness), see their deadline
/// (early refusal) and tell an expired deadline from a client that went away.
/// </summary>
/// <remarks>
/// <see cref="Token"/> is cancelled when the deadline passes or when the client's own token is cancelled;
/// <see cref="HasExpired"/> says which of the two it was. An expired deadline is a timeout of the external API
/// (504, and the circuit breaker counts it), not a client abort.
/// </remarks>
public sealed class RequestDeadline : IDisposable
{
    private static readonly AsyncLocal<RequestDeadline?> Ambient = new();

    private readonly CancellationTokenSource _cancellation;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private volatile bool _expired;

    /// <param name="timeout">Time the request may take from now.</param>
    /// <param name="timeProvider">The clock of the timer.</param>
    /// <param name="clientAborted">Cancelled when the client goes away.</param>
    public RequestDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken clientAborted)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Timeout = timeout;
        ExpiresAt = timeProvider.GetUtcNow() + timeout;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        _timer = timeProvider.CreateTimer(static state => ((RequestDeadline)state!).Expire(), this, timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>The deadline of the request this code runs for, or <c>null</c> outside a request.</summary>
    public static RequestDeadline? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>The time the request was given.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>When the deadline passes, by the clock given to the constructor.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Cancelled at the deadline or when the client goes away.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The deadline has passed (as opposed to the client going away).</summary>
    public bool HasExpired => _expired;

    /// <summary>The work this request declared it will send (set by the service before its fan-out).</summary>
    public LookupPlan? Plan { get; set; }

    /// <summary>Time left until the deadline; zero once it has passed.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = ExpiresAt - _timeProvider.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cancellation.Dispose();
    }

    private void Expire()
    {
        _expired = true;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended as the timer fired: nothing left to cancel.
        }
    }
}
