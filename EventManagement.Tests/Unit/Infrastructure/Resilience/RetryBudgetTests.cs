using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Infrastructure.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.Unit.Infrastructure.Resilience;

/// <summary><see cref="RetryBudget"/> with its defaults (20 % of the last 10 s, plus 5 a second) on a fake clock.</summary>
[TestFixture]
public sealed class RetryBudgetTests
{
    private const string Route = "getEventById";

    private FakeTimeProvider _time = null!;
    private RetryBudget _budget = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        _budget = new RetryBudget(Options.Create(new ExternalApiOptions()), _time);
    }

    [Test]
    public void TryRetry_InAStormOf100FailingCalls_AllowsTheShareAndTheReserveOnly()
    {
        for (var call = 0; call < 100; call++)
        {
            _budget.RecordCall(Route);
        }

        // Every call wants its two retries at once.
        var allowed = Enumerable.Range(0, 200).Count(_ => _budget.TryRetry(Route));

        Assert.That(allowed, Is.EqualTo(20 + 5), "20 % of 100 calls plus one second of the 5-a-second reserve");
    }

    [Test]
    public void TryRetry_WhenOneCallIn20Fails_RetriesEveryFailure()
    {
        // The MockApi's 5 % drops, at 100 calls a second for a minute: every failure gets its retry.
        var denied = 0;
        for (var second = 0; second < 60; second++)
        {
            for (var call = 0; call < 100; call++)
            {
                _budget.RecordCall(Route);
                if (call % 20 == 0 && !_budget.TryRetry(Route))
                {
                    denied++;
                }

                _time.Advance(TimeSpan.FromMilliseconds(10));
            }
        }

        Assert.That(denied, Is.Zero);
    }

    [Test]
    public void TryRetry_ForACallerSendingOneFailingRequestAtATime_AllowsBothRetriesOfEach()
    {
        // The seed's curl loop against an API that fails everything: one call, two retries, one call a second.
        var denied = 0;
        for (var request = 0; request < 120; request++)
        {
            _budget.RecordCall(Route);
            for (var retry = 0; retry < 2; retry++)
            {
                if (!_budget.TryRetry(Route))
                {
                    denied++;
                }
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(denied, Is.Zero);
    }

    [Test]
    public void TryRetry_ForTheBreakersProbeAfterALongFailureStreak_StillAllowsItsRetries()
    {
        for (var call = 0; call < 1000; call++)
        {
            _budget.RecordCall(Route);
            _budget.TryRetry(Route);
        }

        _time.Advance(TimeSpan.FromSeconds(15));
        _budget.RecordCall(Route);

        Assert.Multiple(() =>
        {
            Assert.That(_budget.TryRetry(Route), Is.True);
            Assert.That(_budget.TryRetry(Route), Is.True);
        });
    }

    [Test]
    public void TryRetry_OnAnotherRoute_DoesNotSpendTheRetriesAFailingRouteEarned()
    {
        for (var call = 0; call < 100; call++)
        {
            _budget.RecordCall("getUsers");
        }

        var allowed = Enumerable.Range(0, 100).Count(_ => _budget.TryRetry(Route));

        Assert.That(allowed, Is.EqualTo(5), "only the reserve: getEventById earned nothing");
    }

    [Test]
    public void TryRetry_OnceTheWindowHasPassed_ForgetsOldCalls()
    {
        for (var call = 0; call < 100; call++)
        {
            _budget.RecordCall(Route);
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        var allowed = Enumerable.Range(0, 100).Count(_ => _budget.TryRetry(Route));

        Assert.That(allowed, Is.EqualTo(5));
    }
}
