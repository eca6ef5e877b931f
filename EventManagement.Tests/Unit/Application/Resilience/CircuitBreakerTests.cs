using System.Collections.Concurrent;
using EventManagement.Application.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

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

    [Test]
    public async Task ExecuteAsync_WhenOpen_RefusesEveryCallWithoutInvokingItsAction()
    {
        await OpenAsync();

        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await AssertRefusedAsync();
        }

        await Assert.ThatAsync(ThrowFailureAsync, Throws.TypeOf<CircuitOpenException>());
        await Assert.ThatAsync(ThrowNonFailureAsync, Throws.TypeOf<CircuitOpenException>());
        Assert.That(_invocations, Is.EqualTo(3), "only the three failures that opened it ran");
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
    }

    [TestCase(0, 15)]
    [TestCase(1, 15)]
    [TestCase(5_000, 10)]
    [TestCase(10_500, 5)]
    [TestCase(14_000, 1)]
    [TestCase(14_200, 1)]
    [TestCase(14_999, 1)]
    public async Task ExecuteAsync_WhenOpen_RetryAfterIsWholeSecondsLeftUntilTheProbeAndAtLeastOne(
        int millisecondsSinceOpening,
        int expectedSeconds)
    {
        await OpenAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(millisecondsSinceOpening));

        await AssertRefusedAsync(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Test]
    public async Task ExecuteAsync_At14999MillisecondsAfterOpening_IsStillRefused()
    {
        await OpenAsync();
        _clock.Advance(JustBeforeProbe);

        await AssertRefusedAsync(TimeSpan.FromSeconds(1));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_AtExactly15SecondsAfterOpening_LetsTheNextCallThroughAsHalfOpenProbe()
    {
        await OpenAsync();
        _clock.Advance(BreakDuration);
        var gate = new TaskCompletionSource<int>();

        var probe = StartHeldCall(gate);

        Assert.That(_invocations, Is.EqualTo(4), "the probe's action was invoked");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen));
        Assert.That(probe.IsCompleted, Is.False);

        gate.SetResult(5);
        Assert.That(await probe, Is.EqualTo(5));
    }

    [Test]
    public async Task State_AfterTheBreakWithNoCallArriving_StaysOpen()
    {
        await OpenAsync();

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_WhileTheProbeIsInFlight_RefusesOthersWithRetryAfterOneSecond()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);

        for (var i = 0; i < 5; i++)
        {
            await AssertRefusedAsync(TimeSpan.FromSeconds(1));
            _clock.Advance(TimeSpan.FromSeconds(20));
        }

        await Assert.ThatAsync(ThrowFailureAsync, Throws.TypeOf<CircuitOpenException>());
        Assert.That(_invocations, Is.EqualTo(4), "three failures and the probe");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen));

        gate.SetResult(1);
        await probe;
    }

    [Test]
    public async Task ExecuteAsync_HundredConcurrentCallersWhenTheProbeIsDue_ExactlyOneActionIsInvoked()
    {
        const int Callers = 100;
        await OpenAsync();
        _clock.Advance(BreakDuration);
        var invocationsBefore = _invocations;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settled = 0;
        var stateWhenAllSettled = CircuitState.Closed;

        // Every caller settles once: either its action ran or it was refused. The probe is held until all have
        // settled, so the test cannot hang even if the breaker wrongly admitted more than one.
        void Settle()
        {
            if (Interlocked.Increment(ref settled) == Callers)
            {
                stateWhenAllSettled = _breaker.State;
                release.SetResult(9);
            }
        }

        async Task<Exception?> CallAsync()
        {
            await start.Task;
            try
            {
                await _breaker.ExecuteAsync(
                    _ =>
                    {
                        Interlocked.Increment(ref _invocations);
                        Settle();
                        return release.Task;
                    },
                    IsFailure,
                    CancellationToken.None);
                return null;
            }
            catch (CircuitOpenException refused)
            {
                Settle();
                return refused;
            }
        }

        var calls = Enumerable.Range(0, Callers).Select(_ => Task.Run(CallAsync)).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(calls);

        Assert.That(_invocations - invocationsBefore, Is.EqualTo(1));
        Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1));
        Assert.That(outcomes.OfType<CircuitOpenException>().Count(), Is.EqualTo(Callers - 1));
        Assert.That(
            outcomes.OfType<CircuitOpenException>().Select(e => e.RetryAfter),
            Is.All.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(stateWhenAllSettled, Is.EqualTo(CircuitState.HalfOpen));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_ProbeSucceeds_ClosesAndClearsTheFailureHistory()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        gate.SetResult(3);

        Assert.That(await probe, Is.EqualTo(3));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        // The three failures that opened it are 15 s old, still inside a 30 s window, yet they no longer count.
        await FailAsync();
        await FailAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(await SucceedAsync(4), Is.EqualTo(4));

        await FailAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_ProbeFails_OpensForAFullNewBreakFromTheProbeFailure()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        _clock.Advance(TimeSpan.FromSeconds(2));
        gate.SetException(new TransientTestException());

        await Assert.ThatAsync(() => probe, Throws.TypeOf<TransientTestException>());
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        await AssertRefusedAsync(TimeSpan.FromSeconds(15));

        _clock.Advance(JustBeforeProbe);
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        _clock.Advance(OneMillisecond);
        Assert.That(await SucceedAsync(6), Is.EqualTo(6));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_ProbeCancelledByItsCaller_IsNotAFailureAndTheNextCallProbesAtOnce()
    {
        await OpenAsync();
        _clock.Advance(BreakDuration);
        using var cts = new CancellationTokenSource();

        // The predicate would call anything a failure: only the caller's own cancellation keeps this from counting.
        var probe = _breaker.ExecuteAsync(
            token =>
            {
                Interlocked.Increment(ref _invocations);
                return new TaskCompletionSource<int>().Task.WaitAsync(token);
            },
            static _ => true,
            cts.Token);
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen));

        await cts.CancelAsync();

        await Assert.ThatAsync(() => probe, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(
            Transitions.Skip(1),
            Is.EqualTo(new[] { (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Open) }));

        var next = StartHeldCall(new TaskCompletionSource<int>());

        Assert.That(_invocations, Is.EqualTo(5), "three failures, the cancelled probe and the next probe");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen));
        Assert.That(next.IsCompleted, Is.False);
    }

    [Test]
    public async Task ExecuteAsync_ProbeThrowsANonFailure_ReleasesTheSlotAndTheNextCallProbesAtOnce()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        _clock.Advance(TimeSpan.FromSeconds(1));
        gate.SetException(new NonTransientTestException());

        await Assert.ThatAsync(() => probe, Throws.TypeOf<NonTransientTestException>());
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));

        Assert.That(await SucceedAsync(8), Is.EqualTo(8));
        Assert.That(_invocations, Is.EqualTo(5), "three failures, the first probe and the second");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(
            Transitions,
            Is.EqualTo(new[]
            {
                (CircuitState.Closed, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Closed),
            }));
    }

    [Test]
    public async Task ExecuteAsync_LateFailureWhileOpen_NeitherReopensNorExtendsTheBreak()
    {
        var lateGate = new TaskCompletionSource<int>();
        var late = StartHeldCall(lateGate);
        await OpenAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));

        lateGate.SetException(new TransientTestException());

        await Assert.ThatAsync(() => late, Throws.TypeOf<TransientTestException>());
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));

        // Had the late failure restarted the break at +10 s, this would say 11 s.
        _clock.Advance(TimeSpan.FromSeconds(4.999));
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        _clock.Advance(OneMillisecond);
        Assert.That(await SucceedAsync(2), Is.EqualTo(2), "the probe is allowed at opened + 15 s");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_LateSuccessWhileOpen_DoesNotClose()
    {
        var lateGate = new TaskCompletionSource<int>();
        var late = StartHeldCall(lateGate);
        await OpenAsync();
        _clock.Advance(TimeSpan.FromSeconds(5));

        lateGate.SetResult(11);

        Assert.That(await late, Is.EqualTo(11), "the late caller still gets its result");
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
        await AssertRefusedAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task ExecuteAsync_LateOutcomesWhileTheProbeIsInFlight_DoNotDecideInItsPlace()
    {
        var lateSuccessGate = new TaskCompletionSource<int>();
        var lateFailureGate = new TaskCompletionSource<int>();
        var lateSuccess = StartHeldCall(lateSuccessGate);
        var lateFailure = StartHeldCall(lateFailureGate);
        var probeGate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(probeGate);

        lateSuccessGate.SetResult(1);
        await lateSuccess;
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen), "a late success is not the probe's success");

        lateFailureGate.SetException(new TransientTestException());
        await Assert.ThatAsync(() => lateFailure, Throws.TypeOf<TransientTestException>());
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen), "a late failure is not the probe's failure");
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        probeGate.SetResult(2);
        await probe;
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_LateFailureArrivingAfterTheBreakerClosedAgain_IsNotCounted()
    {
        var lateGate = new TaskCompletionSource<int>();
        var late = StartHeldCall(lateGate);
        var probeGate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(probeGate);
        probeGate.SetResult(1);
        await probe;
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        lateGate.SetException(new TransientTestException());
        await Assert.ThatAsync(() => late, Throws.TypeOf<TransientTestException>());
        await FailAsync();
        await FailAsync();

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed), "the late failure belongs to the earlier closed period");
        await FailAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_FiftyConcurrentFailures_MakeExactlyOneClosedToOpenTransition()
    {
        const int Callers = 50;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // All fifty are admitted while CLOSED, then fail together on thread-pool threads.
        var calls = Enumerable.Range(0, Callers)
            .Select(_ => _breaker.ExecuteAsync<int>(
                async _ =>
                {
                    Interlocked.Increment(ref _invocations);
                    await go.Task;
                    throw new TransientTestException();
                },
                IsFailure,
                CancellationToken.None))
            .ToArray();
        Assert.That(_invocations, Is.EqualTo(Callers));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));

        go.SetResult();

        foreach (var call in calls)
        {
            await Assert.ThatAsync(() => call, Throws.TypeOf<TransientTestException>());
        }

        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        await AssertRefusedAsync(TimeSpan.FromSeconds(15));
    }

    [Test]
    public async Task StateChanged_FullCycleThroughASuccessfulProbe_IsRaisedOncePerTransitionWithSenderAndTime()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        _clock.Advance(TimeSpan.FromSeconds(3));
        gate.SetResult(1);
        await probe;

        var changes = _changes.ToArray();
        Assert.That(
            changes.Select(c => (c.Change.From, c.Change.To, c.Change.At)),
            Is.EqualTo(new[]
            {
                (CircuitState.Closed, CircuitState.Open, Start),
                (CircuitState.Open, CircuitState.HalfOpen, Start + BreakDuration),
                (CircuitState.HalfOpen, CircuitState.Closed, Start + BreakDuration + TimeSpan.FromSeconds(3)),
            }));
        Assert.That(changes.Select(c => c.Sender), Is.All.SameAs(_breaker));
    }

    [Test]
    public async Task StateChanged_FailedProbe_IsRaisedOnceForOpenToHalfOpenAndOnceForHalfOpenToOpen()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        gate.SetException(new TransientTestException());
        await Assert.ThatAsync(() => probe, Throws.TypeOf<TransientTestException>());

        Assert.That(
            Transitions,
            Is.EqualTo(new[]
            {
                (CircuitState.Closed, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Open),
            }));
    }

    [Test]
    public async Task StateChanged_RefusedCallsAndCallsWhileClosed_RaiseNothing()
    {
        await SucceedAsync();
        await Assert.ThatAsync(ThrowNonFailureAsync, Throws.TypeOf<NonTransientTestException>());
        await OpenAsync();
        _clock.Advance(TimeSpan.FromSeconds(5));
        await AssertRefusedAsync();
        await AssertRefusedAsync();

        Assert.That(Transitions, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_EveryTransition_IsLoggedAsAWarning()
    {
        var logger = new Mock<ILogger<CircuitBreaker>>();
        UseBreaker(new CircuitBreakerOptions(), logger.Object);

        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        gate.SetResult(1);
        await probe;

        foreach (var message in new[] { "Closed -> Open", "Open -> HalfOpen", "HalfOpen -> Closed" })
        {
            logger.Verify(
                l => l.Log(
                    LogLevel.Warning,
                    It.IsAny<EventId>(),
                    It.Is<It.IsAnyType>((state, _) => $"{state}" == "Circuit breaker " + message),
                    It.IsAny<Exception?>(),
                    It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
                Times.Once(),
                message);
        }

        logger.Verify(
            l => l.Log(
                It.IsAny<LogLevel>(),
                It.IsAny<EventId>(),
                It.IsAny<It.IsAnyType>(),
                It.IsAny<Exception?>(),
                It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Exactly(3));
    }

    [Test]
    public async Task ExecuteAsync_WithOtherSettings_UsesTheConfiguredThresholdWindowAndBreak()
    {
        UseBreaker(new CircuitBreakerOptions
        {
            FailureThreshold = 5,
            SamplingWindow = TimeSpan.FromSeconds(10),
            BreakDuration = TimeSpan.FromSeconds(2),
        });

        for (var i = 0; i < 4; i++)
        {
            await FailAsync();
        }

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed), "4 of 5");

        AdvanceTo(TimeSpan.FromSeconds(10));
        await FailAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed), "the four at 0 s are exactly 10 s old");

        for (var i = 0; i < 4; i++)
        {
            await FailAsync();
        }

        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
        await AssertRefusedAsync(TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(2) - OneMillisecond);
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        _clock.Advance(OneMillisecond);
        Assert.That(await SucceedAsync(3), Is.EqualTo(3));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_ManyConcurrentMixedCallsAcrossSimulatedTime_ThrowOnlyExpectedExceptionsAndEndConsistent()
    {
        const int Rounds = 20;
        const int CallsPerRound = 40;
        var random = new Random(20250101);
        var roundGates = Enumerable.Range(0, Rounds + 2)
            .Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .ToArray();
        var slowCalls = new List<Task<Exception?>>();
        var fastCalls = new List<Task<Exception?>>();

        async Task<Exception?> CallAsync(int outcome, Task gate)
        {
            try
            {
                await _breaker.ExecuteAsync(
                    async _ =>
                    {
                        Interlocked.Increment(ref _invocations);
                        await gate;
                        return outcome switch
                        {
                            0 => 1,
                            1 => throw new TransientTestException(),
                            _ => throw new NonTransientTestException(),
                        };
                    },
                    IsFailure,
                    CancellationToken.None);
                return null;
            }
            catch (Exception exception) when (exception is CircuitOpenException or TransientTestException or NonTransientTestException)
            {
                return exception;
            }
        }

        for (var round = 0; round < Rounds; round++)
        {
            // A quarter of the calls stay in flight for two rounds (6 simulated seconds): late outcomes.
            var plan = Enumerable.Range(0, CallsPerRound)
                .Select(_ => (Outcome: random.Next(3), Slow: random.Next(4) == 0))
                .ToArray();
            var slowGate = roundGates[round + 2].Task;
            var started = plan
                .Select(p => (p.Slow, Call: Task.Run(() => CallAsync(p.Outcome, p.Slow ? slowGate : Task.CompletedTask))))
                .ToArray();
            slowCalls.AddRange(started.Where(s => s.Slow).Select(s => s.Call));
            fastCalls.AddRange(started.Where(s => !s.Slow).Select(s => s.Call));

            // The clock moves while this round's calls are running, and the calls of two rounds ago finish now.
            _clock.Advance(TimeSpan.FromSeconds(3));
            roundGates[round].SetResult();
            await Task.WhenAll(started.Where(s => !s.Slow).Select(s => s.Call));
        }

        foreach (var gate in roundGates)
        {
            gate.TrySetResult();
        }

        var outcomes = await Task.WhenAll(fastCalls.Concat(slowCalls));

        var refusals = outcomes.OfType<CircuitOpenException>().ToArray();
        Assert.That(outcomes, Has.Length.EqualTo(Rounds * CallsPerRound));
        Assert.That(_invocations + refusals.Length, Is.EqualTo(Rounds * CallsPerRound), "every call either ran or was refused");
        Assert.That(
            refusals.Select(r => r.RetryAfter),
            Is.All.InRange(TimeSpan.FromSeconds(1), BreakDuration)
                .And.Matches<TimeSpan>(t => t.Ticks % TimeSpan.TicksPerSecond == 0));

        var transitions = Transitions;
        var legal = new[]
        {
            (CircuitState.Closed, CircuitState.Open),
            (CircuitState.Open, CircuitState.HalfOpen),
            (CircuitState.HalfOpen, CircuitState.Closed),
            (CircuitState.HalfOpen, CircuitState.Open),
        };
        Assert.That(transitions.Distinct(), Is.SubsetOf(legal));
        Assert.That(transitions, Does.Contain((CircuitState.Closed, CircuitState.Open)));
        Assert.That(transitions, Does.Contain((CircuitState.Open, CircuitState.HalfOpen)));

        // Order-independent bookkeeping: starting from CLOSED, entries minus exits leave exactly the final state.
        var final = _breaker.State;
        Assert.That(final, Is.Not.EqualTo(CircuitState.HalfOpen), "no call is in flight, so no probe is");
        foreach (var state in Enum.GetValues<CircuitState>())
        {
            var net = (state == CircuitState.Closed ? 1 : 0)
                + transitions.Count(t => t.To == state)
                - transitions.Count(t => t.From == state);
            Assert.That(net, Is.EqualTo(state == final ? 1 : 0), $"net entries into {state}");
        }

        // And it still works: after a break, one success leaves it CLOSED.
        _clock.Advance(BreakDuration);
        Assert.That(await SucceedAsync(5), Is.EqualTo(5));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    /// <summary>Replaces the fixture's breaker (same fake clock) and records its transitions.</summary>
    [Test]
    public async Task StateChanged_HandlerThatThrows_DoesNotWedgeTheBreakerInHalfOpen()
    {
        await OpenAsync();
        _breaker.StateChanged += (_, change) =>
        {
            if (change.To == CircuitState.HalfOpen)
            {
                throw new InvalidOperationException("faulty subscriber");
            }
        };
        _clock.Advance(BreakDuration);

        var probe = await SucceedAsync(7);

        Assert.That(probe, Is.EqualTo(7));
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Closed));
    }

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

    /// <summary>Opens the breaker with three failures at the current instant.</summary>
    private async Task OpenAsync()
    {
        await FailAsync();
        await FailAsync();
        await FailAsync();
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.Open));
    }

    /// <summary>Opens the breaker, waits out the break and starts a probe held in flight by <paramref name="gate"/>.</summary>
    private async Task<Task<int>> StartProbeAsync(TaskCompletionSource<int> gate)
    {
        await OpenAsync();
        _clock.Advance(BreakDuration);
        var probe = StartHeldCall(gate);
        Assert.That(_breaker.State, Is.EqualTo(CircuitState.HalfOpen));
        return probe;
    }

    /// <summary>
    /// Starts a call whose action counts its invocation and then stays in flight until <paramref name="gate"/>
    /// completes (or <paramref name="cancellationToken"/> is cancelled).
    /// </summary>
    private Task<int> StartHeldCall(TaskCompletionSource<int> gate, CancellationToken cancellationToken = default) =>
        _breaker.ExecuteAsync(
            token =>
            {
                Interlocked.Increment(ref _invocations);
                return gate.Task.WaitAsync(token);
            },
            IsFailure,
            cancellationToken);

    /// <summary>
    /// Makes a call and checks that the breaker refused it (with <paramref name="retryAfter"/>, if given) without
    /// invoking its action.
    /// </summary>
    private async Task AssertRefusedAsync(TimeSpan? retryAfter = null)
    {
        var invocationsBefore = _invocations;
        var refused = Throws.TypeOf<CircuitOpenException>();

        await Assert.ThatAsync(
            () => SucceedAsync(),
            retryAfter is null ? refused : refused.With.Property(nameof(CircuitOpenException.RetryAfter)).EqualTo(retryAfter.Value));
        Assert.That(_invocations, Is.EqualTo(invocationsBefore), "a refused call must not invoke its action");
    }
}
