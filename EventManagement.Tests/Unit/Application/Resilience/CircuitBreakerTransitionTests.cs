using EventManagement.Application.Resilience;
using Microsoft.Extensions.Logging;
using Moq;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>Across states: the StateChanged event, the warning per transition, other settings, and a concurrent stress run.</summary>
[TestFixture]
public sealed class CircuitBreakerTransitionTests : CircuitBreakerTestBase
{
    [Test]
    public async Task StateChanged_FullCycleThroughASuccessfulProbe_IsRaisedOncePerTransitionWithSenderAndTime()
    {
        var gate = new TaskCompletionSource<int>();
        var probe = await StartProbeAsync(gate);
        Clock.Advance(TimeSpan.FromSeconds(3));
        gate.SetResult(1);
        await probe;

        var changes = Changes.ToArray();
        Assert.That(
            changes.Select(c => (c.Change.From, c.Change.To, c.Change.At)),
            Is.EqualTo(new[]
            {
                (CircuitState.Closed, CircuitState.Open, Start),
                (CircuitState.Open, CircuitState.HalfOpen, Start + BreakDuration),
                (CircuitState.HalfOpen, CircuitState.Closed, Start + BreakDuration + TimeSpan.FromSeconds(3)),
            }));
        Assert.That(changes.Select(c => c.Sender), Is.All.SameAs(Breaker));
    }

    [Test]
    public async Task StateChanged_RefusedCallsAndCallsWhileClosed_RaiseNothing()
    {
        await SucceedAsync();
        await Assert.ThatAsync(ThrowNonFailureAsync, Throws.TypeOf<NonTransientTestException>());
        await OpenAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));
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

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed), "4 of 5");

        AdvanceTo(TimeSpan.FromSeconds(10));
        await FailAsync();
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed), "the four at 0 s are exactly 10 s old");

        for (var i = 0; i < 4; i++)
        {
            await FailAsync();
        }

        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Open));
        await AssertRefusedAsync(TimeSpan.FromSeconds(2));

        Clock.Advance(TimeSpan.FromSeconds(2) - OneMillisecond);
        await AssertRefusedAsync(TimeSpan.FromSeconds(1));

        Clock.Advance(OneMillisecond);
        Assert.That(await SucceedAsync(3), Is.EqualTo(3));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
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
                await Breaker.ExecuteAsync(
                    async _ =>
                    {
                        CountInvocation();
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
            Clock.Advance(TimeSpan.FromSeconds(3));
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
        Assert.That(Invocations + refusals.Length, Is.EqualTo(Rounds * CallsPerRound), "every call either ran or was refused");
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
        var final = Breaker.State;
        Assert.That(final, Is.Not.EqualTo(CircuitState.HalfOpen), "no call is in flight, so no probe is");
        foreach (var state in Enum.GetValues<CircuitState>())
        {
            var net = (state == CircuitState.Closed ? 1 : 0)
                + transitions.Count(t => t.To == state)
                - transitions.Count(t => t.From == state);
            Assert.That(net, Is.EqualTo(state == final ? 1 : 0), $"net entries into {state}");
        }

        // And it still works: after a break, one success leaves it CLOSED.
        Clock.Advance(BreakDuration);
        Assert.That(await SucceedAsync(5), Is.EqualTo(5));
        Assert.That(Breaker.State, Is.EqualTo(CircuitState.Closed));
    }
}
