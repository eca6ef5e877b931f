using EventManagement.Application.Resilience;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>CLOSED: calls pass through; failures inside the sampling window are counted until the threshold opens the breaker.</summary>
[TestFixture]
public sealed class CircuitBreakerClosedTests : CircuitBreakerTestBase
{
    [Test]
    public async Task ExecuteAsync_WhenClosed_InvokesActionOnceAndReturnsItsResult()
    {
        var result = await SucceedAsync(42);

        Assert.That(result, Is.EqualTo(42));
        Assert.That(Invocations, Is.EqualTo(1));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_WhenClosed_PassesCallersTokenToAction()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;

        await Breaker.ExecuteAsync(
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

        Assert.That(Invocations, Is.EqualTo(100));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
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
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));

        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_ThreeFailuresInsideWindow_OpensAndRaisesClosedToOpenOnce()
    {
        await FailAsync();
        await FailAsync();
        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
    }

    [Test]
    public async Task ExecuteAsync_TwoFailuresInsideWindow_StaysClosed()
    {
        await FailAsync();
        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
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

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
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

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_FailuresAt25And28And31Seconds_Opens()
    {
        AdvanceTo(TimeSpan.FromSeconds(25));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(28));
        await FailAsync();
        AdvanceTo(TimeSpan.FromSeconds(31));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));

        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
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

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));

        AdvanceTo(TimeSpan.FromSeconds(61));
        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open), "40 s, 60 s and 61 s are inside one window");
    }

    [Test]
    public async Task ExecuteAsync_NonFailuresAndCallerCancellationsWhenClosed_PropagateAndNeverCount()
    {
        // Five of each, more than the threshold of either; a cancellation never counts, even where the predicate
        // would call it a failure.
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThatAsync(ThrowNonFailureAsync, Throws.TypeOf<NonTransientTestException>());

            using var cts = new CancellationTokenSource();
            var call = StartCallOnlyCancellationEnds(cts.Token);
            await cts.CancelAsync();
            await Assert.ThatAsync(() => call, Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(Invocations, Is.EqualTo(10));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(Transitions, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_CancellationNotRequestedByCaller_IsJudgedByIsFailure()
    {
        // A timeout inside the gateway surfaces as OperationCanceledException while the caller's token is untouched.
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThatAsync(
                () => Breaker.ExecuteAsync<int>(
                    _ => Task.FromException<int>(new OperationCanceledException("upstream timeout")),
                    static exception => exception is OperationCanceledException,
                    CancellationToken.None),
                Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
    }

    [Test]
    public async Task ExecuteAsync_TokenAlreadyCancelled_ThrowsWithoutInvokingActionOrCounting()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThatAsync(
                () => Breaker.ExecuteAsync(CountingAction(Task.FromResult(1)), static _ => true, cts.Token),
                Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(Invocations, Is.Zero);
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_NullActionOrPredicate_ThrowsArgumentNullException()
    {
        await Assert.ThatAsync(
            () => Breaker.ExecuteAsync<int>(null!, IsFailure, CancellationToken.None),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("action"));
        await Assert.ThatAsync(
            () => Breaker.ExecuteAsync(CountingAction(Task.FromResult(1)), null!, CancellationToken.None),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("isFailure"));
        Assert.That(Invocations, Is.Zero);
    }

    [Test]
    public async Task ExecuteAsync_FiftyConcurrentFailures_MakeExactlyOneClosedToOpenTransition()
    {
        const int Callers = 50;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // All fifty are admitted while CLOSED, then fail together on thread-pool threads.
        var calls = Enumerable.Range(0, Callers)
            .Select(_ => Breaker.ExecuteAsync<int>(
                async _ =>
                {
                    CountInvocation();
                    await go.Task;
                    throw new TransientTestException();
                },
                IsFailure,
                CancellationToken.None))
            .ToArray();
        Assert.That(Invocations, Is.EqualTo(Callers));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));

        go.SetResult();

        foreach (var call in calls)
        {
            await Assert.ThatAsync(() => call, Throws.TypeOf<TransientTestException>());
        }

        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
        await AssertRefusedAsync(TimeSpan.FromSeconds(15));
    }
}
