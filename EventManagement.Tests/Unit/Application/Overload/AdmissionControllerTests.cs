using System.Diagnostics.Metrics;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace EventManagement.Tests.Unit.Application.Overload;

/// <summary>
/// <see cref="AdmissionController"/> on its own: what it admits given the smallest-first order of the call budget,
/// and the two log lines (refusing starts, refusing stops) instead of one per refusal. Time is a FakeTimeProvider.
/// </summary>
[TestFixture]
public sealed class AdmissionControllerTests
{
    // 10 calls in flight at 500 ms a lookup: 20 lookups a second. With a 5 s deadline a request must end within
    // 0.85 x 5 s - 0.5 s = 3.75 s: 75 lookups of work ahead of it and its own.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly List<RequestDeadline> _deadlines = [];
    private FakeTimeProvider _time = null!;
    private ServiceProvider _services = null!;
    private Mock<ILogger<AdmissionController>> _logger = null!;
    private AdmissionController _admission = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _logger = new Mock<ILogger<AdmissionController>>();
        _logger.Setup(logger => logger.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var budget = new FairConcurrencyLimiter(10, maxWaiting: 1000);
        _admission = new AdmissionController(
            budget,
            Options.Create(new RequestOptions { Timeout = Timeout, ExpectedLookupLatency = TimeSpan.FromMilliseconds(500) }),
            _time,
            new OverloadMetrics(_services.GetRequiredService<IMeterFactory>(), budget),
            _logger.Object);
    }

    [TearDown]
    public void TearDown()
    {
        RequestDeadline.Current = null;
        _deadlines.ForEach(deadline => deadline.Dispose());
        _deadlines.Clear();
        _services.Dispose();
    }

    [Test]
    public void EnsureAdmitted_WhileRefusing_LogsOneWarningWhenRefusingStartsAndOneWhenItStops()
    {
        using var first = Plan(60);
        first.EnsureAdmitted();

        // 60 + 60 lookups take 6 s: the next two are refused, with one warning between them.
        using var second = Plan(60);
        using var third = Plan(60);
        Assert.Multiple(() =>
        {
            Assert.That(second.EnsureAdmitted, Throws.TypeOf<ServiceBusyException>());
            Assert.That(third.EnsureAdmitted, Throws.TypeOf<ServiceBusyException>());
        });
        Assert.That(Warnings(), Has.Count.EqualTo(1).And.Some.StartsWith("Refusing requests"));

        first.Dispose();

        Assert.That(Warnings(), Has.Count.EqualTo(2));
        Assert.That(Warnings()[1], Does.StartWith("Stopped refusing requests (2 refused)"));
    }

    [Test]
    public void EnsureAdmitted_ASmallRequestBehindABigOne_IsAdmittedUnlessItWouldPushTheBigOnePastItsDeadline()
    {
        using var big = Plan(70);
        big.EnsureAdmitted(); // 70 lookups: 3.5 s + 0.5 s, within 4.25 s

        // The budget serves the smaller first: 2 lookups end at once and delay the big one to 3.6 s + 0.5 s.
        using var small = Plan(2);
        Assert.That(small.EnsureAdmitted, Throws.Nothing);

        // 10 more would end in time themselves, but push the big one to 4.1 s + 0.5 s, past its 4.25 s.
        using var medium = Plan(10);
        Assert.That(medium.EnsureAdmitted, Throws.TypeOf<ServiceBusyException>());
    }

    [Test]
    public void EnsureAdmitted_TwoRequestsOfEqualSize_ServesTheFirstAdmittedFirstSoTheSecondWaitsForAllOfIt()
    {
        using var first = Plan(40);
        first.EnsureAdmitted(); // 2 s + 0.5 s

        // Smallest first, ties by arrival: the second ends after both, 4 s + 0.5 s: past 4.25 s.
        using var second = Plan(40);
        Assert.That(second.EnsureAdmitted, Throws.TypeOf<ServiceBusyException>());

        // A smaller one goes ahead of the first (1.7 s + 0.5 s) and delays it to 3.7 s + 0.5 s: within 4.25 s.
        using var third = Plan(34);
        Assert.That(third.EnsureAdmitted, Throws.Nothing);
    }

    // A plan of a request of its own: a deadline of Timeout from now, made current as the middleware makes it.
    private LookupPlan Plan(int lookups)
    {
        var deadline = new RequestDeadline(Timeout, _time, CancellationToken.None);
        _deadlines.Add(deadline);
        RequestDeadline.Current = deadline;
        return _admission.Plan(lookups)!;
    }

    private List<string> Warnings() => _logger.Invocations
        .Where(call => call.Method.Name == nameof(ILogger.Log) && call.Arguments[0] is LogLevel.Warning)
        .Select(call => call.Arguments[2]?.ToString() ?? string.Empty)
        .ToList();
}
