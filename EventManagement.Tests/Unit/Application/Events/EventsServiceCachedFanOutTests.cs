using System.Diagnostics.Metrics;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using EventManagement.Application.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace EventManagement.Tests.Unit.Application.Events;

/// <summary>
/// How <see cref="EventsService.GetEventsByUserIdAsync"/> treats lookups that answer at once (cache hits): taken in
/// order on the calling thread, with no parallel loop and no thread-pool work, and a lookup that has to wait is
/// started once and fanned out with the rest. The port is mocked, so "answers at once" is a completed task.
/// </summary>
[TestFixture]
public sealed class EventsServiceCachedFanOutTests
{
    private const string UserId = "u1";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private Mock<IExternalEventsApi> _port = null!;
    private ServiceProvider _provider = null!;

    [SetUp]
    public void SetUp()
    {
        _port = new Mock<IExternalEventsApi>(MockBehavior.Strict);
        _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    [TearDown]
    public void TearDown() => _provider.Dispose();

    [Test]
    public void GetEventsByUserIdAsync_WhenEveryEventAnswersAtOnce_LooksThemUpOnTheCallingThread()
    {
        string[] ids = ["e1", "e2", "e3", "e4", "e5"];
        SetupUser(ids);
        var threads = new List<int>();
        foreach (var id in ids)
        {
            _port.Setup(p => p.GetEventByIdAsync(id, It.IsAny<CancellationToken>()))
                .Callback(() => threads.Add(Environment.CurrentManagedThreadId))
                .ReturnsAsync(Event(id));
        }

        var request = Service().GetEventsByUserIdAsync(UserId, CancellationToken.None);

        // A parallel loop would run the lookups on thread-pool workers, while this thread is still busy here.
        Assert.Multiple(() =>
        {
            Assert.That(threads, Is.EqualTo(Enumerable.Repeat(Environment.CurrentManagedThreadId, ids.Length)), "lookups scheduled elsewhere");
            Assert.That(request.IsCompletedSuccessfully, Is.True, "the request waited for scheduled work");
            Assert.That(request.Result.Select(e => e.Id), Is.EqualTo(ids));
        });
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenOneLookupMustWait_StartsEachLookupOnceAndKeepsTheOrder()
    {
        string[] ids = ["e1", "e2", "e3", "e4"];
        SetupUser(ids);
        var slow = new TaskCompletionSource<EventDto?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _port.Setup(p => p.GetEventByIdAsync("e1", It.IsAny<CancellationToken>())).ReturnsAsync(Event("e1"));
        _port.Setup(p => p.GetEventByIdAsync("e2", It.IsAny<CancellationToken>())).Returns(slow.Task);
        _port.Setup(p => p.GetEventByIdAsync("e3", It.IsAny<CancellationToken>())).ReturnsAsync((EventDto?)null);
        _port.Setup(p => p.GetEventByIdAsync("e4", It.IsAny<CancellationToken>())).ReturnsAsync(Event("e4"));

        var request = Service().GetEventsByUserIdAsync(UserId, CancellationToken.None);
        Assert.That(request.IsCompleted, Is.False, "answered before the waiting lookup did");
        slow.SetResult(Event("e2"));
        var events = await request.WaitAsync(Guard);

        Assert.That(events.Select(e => e.Id), Is.EqualTo(new[] { "e1", "e2", "e4" }), "e3 is unknown upstream: left out");
        foreach (var id in ids)
        {
            _port.Verify(p => p.GetEventByIdAsync(id, It.IsAny<CancellationToken>()), Times.Once, id);
        }
    }

    [Test]
    public void GetEventsByUserIdAsync_WhenALookupFailsAtOnce_FailsTheRequest()
    {
        string[] ids = ["e1", "e2"];
        SetupUser(ids);
        _port.Setup(p => p.GetEventByIdAsync("e1", It.IsAny<CancellationToken>())).ReturnsAsync(Event("e1"));
        _port.Setup(p => p.GetEventByIdAsync("e2", It.IsAny<CancellationToken>()))
            .Returns(Task.FromException<EventDto?>(new InvalidOperationException("boom")));

        Assert.That(
            async () => await Service().GetEventsByUserIdAsync(UserId, CancellationToken.None).WaitAsync(Guard),
            Throws.InvalidOperationException.With.Message.EqualTo("boom"));
    }

    private static EventDto Event(string id) => new(id, "Event " + id, UserId, null);

    private void SetupUser(string[] eventIds) =>
        _port.Setup(p => p.GetUserByIdAsync(UserId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserDto(UserId, "user", "user@example.com", eventIds));

    private EventsService Service()
    {
        var time = TimeProvider.System;
        var budget = new FairConcurrencyLimiter(512, maxWaiting: 1000);
        var meters = _provider.GetRequiredService<IMeterFactory>();
        var admission = new AdmissionController(
            budget,
            Options.Create(new RequestOptions()),
            time,
            new OverloadMetrics(meters, budget),
            NullLogger<AdmissionController>.Instance);
        var breaker = new CircuitBreaker(Options.Create(new CircuitBreakerOptions()), time, NullLogger<CircuitBreaker>.Instance);
        var guard = new IdempotencyGuard(Mock.Of<IIdempotencyStore>(), Options.Create(new IdempotencyOptions()), NullLogger<IdempotencyGuard>.Instance);
        return new EventsService(_port.Object, new UsersService(_port.Object), breaker, admission, guard, Options.Create(new EventFetchOptions()));
    }
}
