using EventManagement.Application.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventManagement.Application.Resilience;

/// <summary>
/// A hand-written circuit breaker: CLOSED, OPEN and HALF-OPEN, with a sliding failure window and a single probe.
/// </summary>
/// <remarks>
/// <para>
/// CLOSED: calls go through. A failure is remembered with its time; failures as old as
/// <see cref="CircuitBreakerOptions.SamplingWindow"/> or older are forgotten. When
/// <see cref="CircuitBreakerOptions.FailureThreshold"/> failures are remembered, the breaker opens.
/// </para>
/// <para>
/// OPEN: every call is refused with <see cref="CircuitOpenException"/> and never reaches the action.
/// Once <see cref="CircuitBreakerOptions.BreakDuration"/> has passed (at that instant, not before), the next call
/// becomes the probe and the breaker is HALF-OPEN.
/// </para>
/// <para>
/// HALF-OPEN: the probe is the only call in flight; others are refused. The probe's success closes the breaker and
/// clears the failure history; its failure opens it for a new full break. A probe that ends without a verdict
/// (its caller cancelled, or it failed in a way that does not count) gives the slot back: the breaker returns to
/// OPEN with the break already over, so the next call probes at once.
/// </para>
/// <para>
/// Late outcomes: every admitted call carries the generation of the closed period that admitted it. A call admitted
/// before the breaker opened can neither re-open it, extend its break, nor close it. All state changes happen under
/// one lock, so any number of concurrent failures make exactly one CLOSED→OPEN transition.
/// </para>
/// </remarks>
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _failureTimes = new();
    private readonly CircuitBreakerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CircuitBreaker> _logger;
    private CircuitState _state = CircuitState.Closed;
    private DateTimeOffset _openedAt;
    private long _closedGeneration;

    public CircuitBreaker(IOptions<CircuitBreakerOptions> options, TimeProvider timeProvider, ILogger<CircuitBreaker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Raised once for every transition, after the breaker's lock is released.</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>The current state. OPEN stays OPEN after the break until a call arrives to become the probe.</summary>
    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> if the breaker allows it, and records its outcome.
    /// </summary>
    /// <param name="action">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="isFailure">
    /// Which exceptions count as failures of the protected dependency. Others (and the caller's own cancellation)
    /// propagate without counting.
    /// </param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="CircuitOpenException">The breaker refused the call; the action did not run.</exception>
    public async Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> action,
        Func<Exception, bool> isFailure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(isFailure);
        cancellationToken.ThrowIfCancellationRequested();

        var permit = Acquire();
        T result;
        try
        {
            result = await action(cancellationToken);
        }
        catch (Exception exception) when (!IsCallerCancellation(exception, cancellationToken) && isFailure(exception))
        {
            RecordFailure(permit);
            throw;
        }
        catch
        {
            ReleaseWithoutVerdict(permit);
            throw;
        }

        RecordSuccess(permit);
        return result;
    }

    private static bool IsCallerCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private Permit Acquire()
    {
        CircuitStateChangedEventArgs? transition = null;
        try
        {
            lock (_gate)
            {
                switch (_state)
                {
                    case CircuitState.Closed:
                        return new Permit(_closedGeneration, IsProbe: false);

                    case CircuitState.Open:
                        var now = _timeProvider.GetUtcNow();
                        var probeAt = _openedAt + _options.BreakDuration;
                        if (now < probeAt)
                        {
                            throw Refused(WholeSecondsAtLeastOne(probeAt - now));
                        }

                        transition = MoveTo(CircuitState.HalfOpen, now);
                        EventManagementActivities.Decision("circuit_breaker.probe");
                        return new Permit(_closedGeneration, IsProbe: true);

                    default:
                        // A probe is in flight: it will decide within one call's time.
                        throw Refused(TimeSpan.FromSeconds(1));
                }
            }
        }
        finally
        {
            Raise(transition);
        }
    }

    private CircuitOpenException Refused(TimeSpan retryAfter)
    {
        EventManagementActivities.Decision(
            "circuit_breaker.refused",
            new KeyValuePair<string, object?>("circuit_breaker.state", _state.ToString()),
            new KeyValuePair<string, object?>("retry_after_s", retryAfter.TotalSeconds));
        return new CircuitOpenException(retryAfter);
    }

    private void RecordFailure(Permit permit)
    {
        CircuitStateChangedEventArgs? transition = null;
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (permit.IsProbe)
            {
                _openedAt = now;
                transition = MoveTo(CircuitState.Open, now);
            }
            else if (_state == CircuitState.Closed && permit.ClosedGeneration == _closedGeneration)
            {
                _failureTimes.Enqueue(now);
                ForgetFailuresOutsideWindow(now);
                if (_failureTimes.Count >= _options.FailureThreshold)
                {
                    _failureTimes.Clear();
                    _closedGeneration++;
                    _openedAt = now;
                    transition = MoveTo(CircuitState.Open, now);
                }
            }

            // Otherwise the call was admitted in an earlier closed period: a late outcome changes nothing.
        }

        Raise(transition);
    }

    private void RecordSuccess(Permit permit)
    {
        if (!permit.IsProbe)
        {
            // A success while CLOSED changes nothing (the window counts failures by time), and a late success
            // while OPEN must not close the breaker.
            return;
        }

        CircuitStateChangedEventArgs? transition;
        lock (_gate)
        {
            _failureTimes.Clear();
            transition = MoveTo(CircuitState.Closed, _timeProvider.GetUtcNow());
        }

        Raise(transition);
    }

    private void ReleaseWithoutVerdict(Permit permit)
    {
        if (!permit.IsProbe)
        {
            return;
        }

        CircuitStateChangedEventArgs? transition;
        lock (_gate)
        {
            // _openedAt is unchanged, so the break is already over and the next call becomes the probe.
            transition = MoveTo(CircuitState.Open, _timeProvider.GetUtcNow());
        }

        Raise(transition);
    }

    private void ForgetFailuresOutsideWindow(DateTimeOffset now)
    {
        while (_failureTimes.TryPeek(out var oldest) && now - oldest >= _options.SamplingWindow)
        {
            _failureTimes.Dequeue();
        }
    }

    private CircuitStateChangedEventArgs MoveTo(CircuitState next, DateTimeOffset now)
    {
        var previous = _state;
        _state = next;
        return new CircuitStateChangedEventArgs(previous, next, now);
    }

    private void Raise(CircuitStateChangedEventArgs? transition)
    {
        if (transition is null)
        {
            return;
        }

        _logger.LogWarning("Circuit breaker {FromState} -> {ToState}", transition.From, transition.To);
        EventManagementActivities.Decision(
            "circuit_breaker.transition",
            new KeyValuePair<string, object?>("circuit_breaker.from", transition.From.ToString()),
            new KeyValuePair<string, object?>("circuit_breaker.to", transition.To.ToString()));
        if (StateChanged is not { } handlers)
        {
            return;
        }

        // One faulty subscriber must not wedge the breaker (an exception here would escape before the probe runs
        // and keep the slot forever) nor replace a call's real outcome.
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<CircuitStateChangedEventArgs>>())
        {
            try
            {
                handler(this, transition);
            }
            catch (Exception exception)
            {
                _logger.LogError(exception, "A circuit breaker StateChanged handler failed");
            }
        }
    }

    private static TimeSpan WholeSecondsAtLeastOne(TimeSpan remaining) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(remaining.TotalSeconds)));

    /// <summary>What <see cref="Acquire"/> granted: which closed period admitted the call, and whether it is the probe.</summary>
    private readonly record struct Permit(long ClosedGeneration, bool IsProbe);
}
