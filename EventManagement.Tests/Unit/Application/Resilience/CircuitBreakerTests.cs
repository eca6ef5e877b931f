using System.Collections.Concurrent;
using EventManagement.Application.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>
/// The rules of SPEC §4 for the hand-written breaker. Time is a <see cref="FakeTimeProvider"/>; in-flight calls are
/// held open by <see cref="TaskCompletionSource{TResult}"/> gates, never by real waits.
/// </summary>
[TestFixture]
public sealed class CircuitBreakerTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan JustBeforeProbe = BreakDuration - OneMillisecond;

    /// <summary>The predicate every call passes, unless a test says otherwise: only the transient exception counts.</summary>
    private static readonly Func<Exception, bool> IsFailure = static exception => exception is TransientTestException;

    private FakeTimeProvider _clock = null!;
    private CircuitBreaker _breaker = null!;
    private ConcurrentQueue<(object? Sender, CircuitStateChangedEventArgs Change)> _changes = null!;
    private int _invocations;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(Start);
        _invocations = 0;
        UseBreaker(new CircuitBreakerOptions());
    }

    /// <summary>The transitions raised so far, as (From, To) pairs in the order they were raised.</summary>
    private (CircuitState From, CircuitState To)[] Transitions =>
        _changes.Select(c => (c.Change.From, c.Change.To)).ToArray();

    [Test]
    public async Task ExecuteAsync_WhenClosed_InvokesActionOnceAndReturnsItsResult()
    {
        var result = await SucceedAsync(42);

        Assert.That(result, Is.EqualTo(42));
        Assert.That(_invocations, Is.EqualTo(1));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_WhenClosed_PassesCallersTokenToAction()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;

        await _breaker.ExecuteAsync(
            token =>
            {
                seen = token;
                return Task.FromResult(0);
            },
            IsFailure,
            cts.Token);

        Assert.That(seen, Is.EqualTo(cts.Token));
    }

    [Test]
    public async Task ExecuteAsync_ManySuccessesWhenClosed_ChangeNothing()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.That(await SucceedAsync(i), Is.EqualTo(i));
        }

        Assert.That(_invocations, Is.EqualTo(100));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_SuccessesBetweenFailures_DoNotResetTheFailureCount()
    {
        await FailAsync();
        await SucceedAsync();
        await SucceedAsync();
        await FailAsync();
        await SucceedAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_ThreeFailuresInsideWindow_OpensAndRaisesClosedToOpenOnce()
    {
        await FailAsync();
        await FailAsync();
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
    }

    [Test]
    public async Task ExecuteAsync_TwoFailuresInsideWindow_StaysClosed()
    {
        await FailAsync();
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
        Assert.That(await SucceedAsync(7), Is.EqualTo(7), "a third call still goes through");
    }

    [Test]
    public async Task ExecuteAsync_FailuresAt0And15And30Seconds_StaysClosedBecauseTheFirstHasLeftTheWindow()
    {
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(15));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(30));
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_FailuresAt0And15AndJustUnder30Seconds_Opens()
    {
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(15));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(30) - OneMillisecond);
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_FailuresAt25And28And31Seconds_Opens()
    {
        AdvanceTo(TimeSpan.FromSeconds(25));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(28));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(31));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
    }

    [Test]
    public async Task ExecuteAsync_FailuresSlidingPastTheWindow_OnlyTheRecentOnesCount()
    {
        // 0 s, 20 s, 40 s, 60 s: never more than two inside any 30 s window.
        for (var second = 0; second <= 60; second += 20)
        {
            AdvanceTo(TimeSpan.FromSeconds(second));
            await FailAsync();
        }

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        AdvanceTo(TimeSpan.FromSeconds(61));
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open), "40 s, 60 s and 61 s are inside one window");
    }

    [Test]
    public async Task ExecuteAsync_NonFailureExceptionsWhenClosed_PropagateAndNeverCount()
    {
        for (var i = 0; i < 10; i++)
        {
            await Assert.ThatAsync(ThrowNonFailureAsync, Throws.TypeOf<NonTransientTestException>());
        }

        Assert.That(_invocations, Is.EqualTo(10));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_CallerCancellationsWhenClosed_NeverCountEvenIfThePredicateWouldSayFailure()
    {
        for (var i = 0; i < 5; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = _breaker.ExecuteAsync(
                token =>
                {
                    Interlocked.Increment(ref _invocations);
                    return new TaskCompletionSource<int>().Task.WaitAsync(token);
                },
                static _ => true,
                cts.Token);

            await cts.CancelAsync();

            await Assert.ThatAsync(() => call, Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(_invocations, Is.EqualTo(5));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_CancellationNotRequestedByCaller_IsJudgedByIsFailure()
    {
        // A timeout inside the gateway surfaces as OperationCanceledException while the caller's token is untouched.
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThatAsync(
                () => _breaker.ExecuteAsync<int>(
                    _ => Task.FromException<int>(new OperationCanceledException("upstream timeout")),
                    static exception => exception is OperationCanceledException,
                    CancellationToken.None),
                Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_TokenAlreadyCancelled_ThrowsWithoutInvokingActionOrCounting()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThatAsync(
                () => _breaker.ExecuteAsync(CountingAction(Task.FromResult(1)), static _ => true, cts.Token),
                Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(_invocations, Is.Zero);
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_NullActionOrPredicate_ThrowsArgumentNullException()
    {
        await Assert.ThatAsync(
            () => _breaker.ExecuteAsync<int>(null!, IsFailure, CancellationToken.None),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("action"));
        await Assert.ThatAsync(
            () => _breaker.ExecuteAsync(CountingAction(Task.FromResult(1)), null!, CancellationToken.None),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("isFailure"));
        Assert.That(_invocations, Is.Zero);
    }

    /// <summary>Replaces the fixture's breaker (same fake clock) and records its transitions.</summary>
    private void UseBreaker(CircuitBreakerOptions options, ILogger<CircuitBreaker>? logger = null)
    {
        _breaker = new CircuitBreaker(Options.Create(options), _clock, logger ?? NullLogger<CircuitBreaker>.Instance);
        _changes = new ConcurrentQueue<(object? Sender, CircuitStateChangedEventArgs Change)>();
        _breaker.StateChanged += (sender, change) => _changes.Enqueue((sender, change));
    }

    /// <summary>Moves the fake clock to <paramref name="sinceStart"/> after the fixture's start.</summary>
    private void AdvanceTo(TimeSpan sinceStart) => _clock.SetUtcNow(Start + sinceStart);

    /// <summary>An action that counts its invocation and then returns <paramref name="outcome"/>.</summary>
    private Func<CancellationToken, Task<int>> CountingAction(Task<int> outcome) =>
        _ =>
        {
            Interlocked.Increment(ref _invocations);
            return outcome;
        };

    /// <summary>A call whose action succeeds with <paramref name="result"/>.</summary>
    private Task<int> SucceedAsync(int result = 1) =>
        _breaker.ExecuteAsync(CountingAction(Task.FromResult(result)), IsFailure, CancellationToken.None);

    /// <summary>A call whose action throws <see cref="TransientTestException"/> (a counted failure).</summary>
    private Task<int> ThrowFailureAsync() =>
        _breaker.ExecuteAsync(
            CountingAction(Task.FromException<int>(new TransientTestException())),
            IsFailure,
            CancellationToken.None);

    /// <summary>A call whose action throws <see cref="NonTransientTestException"/> (not a failure).</summary>
    private Task<int> ThrowNonFailureAsync() =>
        _breaker.ExecuteAsync(
            CountingAction(Task.FromException<int>(new NonTransientTestException())),
            IsFailure,
            CancellationToken.None);

    /// <summary>Makes one failing call and checks that it was admitted (the action's own exception came back).</summary>
    private async Task FailAsync() =>
        await Assert.ThatAsync(ThrowFailureAsync, Throws.TypeOf<TransientTestException>());
}
