using EventManagement.Application.Resilience;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>Calls admitted in one state that finish in another: their outcome must not decide in the wrong state.</summary>
[TestFixture]
public sealed class CircuitBreakerLateOutcomesTests : CircuitBreakerTestBase
{
    [Test]
    public async Task ExecuteAsync_LateFailureWhileOpen_NeitherReopensNorExtendsTheBreak()
    {
        var lateGate = new TaskCompletionSource<int>();
        var late = StartHeldCall(lateGate);
        await OpenAsync();
        Clock.Advance(TimeSpan.FromSeconds(10));

        lateGate.SetException(new TransientTestException());

        await Assert.ThatAsync(() => late, Throws.TypeOf<TransientTestException>());
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(Transitions, Is.EqualTo(new[] { (CircuitState.Closed, CircuitState.Open) }));

        // Had the late failure restarted the break at +10 s, this would say 11 s.
        Clock.Advance(TimeSpan.FromSeconds(4.999));
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        Clock.Advance(OneMillisecond);
        Assert.That(await SucceedAsync(2), Is.EqualTo(2), "the probe is allowed at opened + 15 s");
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
    }

    [Test]
    public async Task ExecuteAsync_LateSuccessWhileOpen_DoesNotClose()
    {
        var lateGate = new TaskCompletionSource<int>();
        var late = StartHeldCall(lateGate);
        await OpenAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));

        lateGate.SetResult(11);

        Assert.That(await late, Is.EqualTo(11), "the late caller still gets its result");
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
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
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.HalfOpen), "a late success is not the probe's success");

        lateFailureGate.SetException(new TransientTestException());
        await Assert.ThatAsync(() => lateFailure, Throws.TypeOf<TransientTestException>());
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.HalfOpen), "a late failure is not the probe's failure");
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        probeGate.SetResult(2);
        await probe;
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
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
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));

        lateGate.SetException(new TransientTestException());
        await Assert.ThatAsync(() => late, Throws.TypeOf<TransientTestException>());
        await FailAsync();
        await FailAsync();

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed), "the late failure belongs to the earlier closed period");
        await FailAsync();
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
    }
}
