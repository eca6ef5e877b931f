using System.Collections.Concurrent;
using EventManagement.Application.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>
/// What the breaker fixtures share (SPEC §4): a fresh breaker per test on a <see cref="FakeTimeProvider"/>, its
/// transitions recorded, and calls whose outcome the test decides. In-flight calls are held open by
/// <see cref="TaskCompletionSource{TResult}"/> gates, never by real waits.
/// </summary>
public abstract class CircuitBreakerTestBase
{
    protected static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);
    protected static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    protected static readonly TimeSpan JustBeforeProbe = BreakDuration - OneMillisecond;

    /// <summary>The predicate every call passes, unless a test says otherwise: only the transient exception counts.</summary>
    protected static readonly Func<Exception, bool> IsFailure = static exception => exception is TransientTestException;

    private int _invocations;

    protected FakeTimeProvider Clock { get; private set; } = null!;

    protected CircuitBreaker Breaker { get; private set; } = null!;

    /// <summary>Every StateChanged raised by <see cref="Breaker"/>, with its sender, in order.</summary>
    protected ConcurrentQueue<(object? Sender, CircuitStateChangedEventArgs Change)> Changes { get; private set; } = null!;

    /// <summary>How many actions the breaker has invoked.</summary>
    protected int Invocations => Volatile.Read(ref _invocations);

    /// <summary>The transitions raised so far, as (From, To) pairs in the order they were raised.</summary>
    protected (CircuitState From, CircuitState To)[] Transitions =>
        Changes.Select(c => (c.Change.From, c.Change.To)).ToArray();

    /// <summary>The transitions of a walk through <paramref name="states"/>, as <see cref="Transitions"/> lists them.</summary>
    protected static (CircuitState From, CircuitState To)[] Walk(params CircuitState[] states) =>
        [.. states.Zip(states.Skip(1))];

    [SetUp]
    public void CreateBreaker()
    {
        Clock = new FakeTimeProvider(Start);
        _invocations = 0;
        UseBreaker(new CircuitBreakerOptions());
    }

    /// <summary>Counts one invocation of an action (for actions a test writes itself).</summary>
    protected void CountInvocation() => Interlocked.Increment(ref _invocations);

    /// <summary>Replaces the fixture's breaker (same fake clock) and records its transitions.</summary>
    protected void UseBreaker(CircuitBreakerOptions options, ILogger<CircuitBreaker>? logger = null)
    {
        Breaker = new CircuitBreaker(Options.Create(options), Clock, logger ?? NullLogger<CircuitBreaker>.Instance);
        Changes = new ConcurrentQueue<(object? Sender, CircuitStateChangedEventArgs Change)>();
        Breaker.StateChanged += (sender, change) => Changes.Enqueue((sender, change));
    }

    /// <summary>Moves the fake clock to <paramref name="sinceStart"/> after the fixture's start.</summary>
    protected void AdvanceTo(TimeSpan sinceStart) => Clock.SetUtcNow(Start + sinceStart);

    /// <summary>An action that counts its invocation and then returns <paramref name="outcome"/>.</summary>
    protected Func<CancellationToken, Task<int>> CountingAction(Task<int> outcome) =>
        _ =>
        {
            CountInvocation();
            return outcome;
        };

    /// <summary>A call whose action succeeds with <paramref name="result"/>.</summary>
    protected Task<int> SucceedAsync(int result = 1) =>
        Breaker.ExecuteAsync(CountingAction(Task.FromResult(result)), IsFailure, CancellationToken.None);

    /// <summary>A call whose action throws <see cref="TransientTestException"/> (a counted failure).</summary>
    protected Task<int> ThrowFailureAsync() =>
        Breaker.ExecuteAsync(
            CountingAction(Task.FromException<int>(new TransientTestException())),
            IsFailure,
            CancellationToken.None);

    /// <summary>A call whose action throws <see cref="NonTransientTestException"/> (not a failure).</summary>
    protected Task<int> ThrowNonFailureAsync() =>
        Breaker.ExecuteAsync(
            CountingAction(Task.FromException<int>(new NonTransientTestException())),
            IsFailure,
            CancellationToken.None);

    /// <summary>Makes one failing call and checks that it was admitted (the action's own exception came back).</summary>
    protected async Task FailAsync() =>
        await Assert.ThatAsync(ThrowFailureAsync, Throws.TypeOf<TransientTestException>());

    /// <summary>Opens the breaker with three failures at the current instant.</summary>
    protected async Task OpenAsync()
    {
        await FailAsync();
        await FailAsync();
        await FailAsync();
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
    }

    /// <summary>Opens the breaker, waits out the break and starts a probe held in flight by <paramref name="gate"/>.</summary>
    protected async Task<Task<int>> StartProbeAsync(TaskCompletionSource<int> gate)
    {
        await OpenAsync();
        Clock.Advance(BreakDuration);
        var probe = StartHeldCall(gate);
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.HalfOpen));
        return probe;
    }

    /// <summary>
    /// Starts a call whose action counts its invocation and then stays in flight until <paramref name="gate"/>
    /// completes (or <paramref name="cancellationToken"/> is cancelled).
    /// </summary>
    protected Task<int> StartHeldCall(TaskCompletionSource<int> gate, CancellationToken cancellationToken = default) =>
        Breaker.ExecuteAsync(
            token =>
            {
                CountInvocation();
                return gate.Task.WaitAsync(token);
            },
            IsFailure,
            cancellationToken);

    /// <summary>
    /// Starts a call that only <paramref name="cancellationToken"/> ends, with a predicate that would call anything a
    /// failure: only the breaker's own handling of the caller's cancellation keeps it from counting.
    /// </summary>
    protected Task<int> StartCallOnlyCancellationEnds(CancellationToken cancellationToken) =>
        Breaker.ExecuteAsync(
            token =>
            {
                CountInvocation();
                return new TaskCompletionSource<int>().Task.WaitAsync(token);
            },
            static _ => true,
            cancellationToken);

    /// <summary>
    /// Makes a call and checks that the breaker refused it (with <paramref name="retryAfter"/>, if given) without
    /// invoking its action.
    /// </summary>
    protected async Task AssertRefusedAsync(TimeSpan? retryAfter = null)
    {
        var invocationsBefore = Invocations;
        var refused = Throws.TypeOf<CircuitOpenException>();

        await Assert.ThatAsync(
            () => SucceedAsync(),
            retryAfter is null ? refused : refused.With.Property(nameof(CircuitOpenException.RetryAfter)).EqualTo(retryAfter.Value));
        Assert.That(Invocations, Is.EqualTo(invocationsBefore), "a refused call must not invoke its action");
    }
}
