using System.Net;
using System.Threading.Channels;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Microsoft.Extensions.Caching.Hybrid;
using Moq;
using Refit;

namespace EventManagement.Tests.Unit.Application.Events;

/// <summary>
/// <see cref="EventsService.GetEventsByUserIdAsync"/> with the real cache and gateway over a mocked Refit client.
/// Tests that hold upstream answers back are guarded by a timeout, so a wrong implementation fails instead of hanging.
/// </summary>
[TestFixture]
public sealed class EventsServiceGetEventsByUserIdTests
{
    private const string UserId = "1";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private Mock<IExternalEventsApiClient> _client = null!;
    private ServiceHarness? _harness;

    [SetUp]
    public void SetUp() => _client = RefitClientMock.Create();

    [TearDown]
    public void TearDown() => _harness?.Dispose();

    [Test]
    public async Task GetEventsByUserIdAsync_WhenEventsAnswerOnlyOnceAllHaveStarted_Completes()
    {
        const int count = 20;
        var eventIds = ManyEventIds(count);
        _client.SetupUser(UserId, eventIds);
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.Setup(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken _) =>
            {
                if (Interlocked.Increment(ref started) == count)
                {
                    allStarted.SetResult();
                }

                return AnswerOnceAsync(id, allStarted.Task);
            });

        var events = await Service().GetEventsByUserIdAsync(UserId, CancellationToken.None).WaitAsync(Guard);

        Assert.That(events.Select(e => e.Id), Is.EqualTo(eventIds));
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WithMaxConcurrency4_KeepsExactly4CallsInFlight()
    {
        const int count = 20;
        const int limit = 4;
        var eventIds = ManyEventIds(count);
        _client.SetupUser(UserId, eventIds);
        var inFlight = 0;
        var maxInFlight = 0;
        var started = Channel.CreateUnbounded<(string Id, TaskCompletionSource<IApiResponse<EventContract>> Answer)>();
        _client.Setup(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken _) =>
            {
                InterlockedMaximum.RaiseToAtLeast(ref maxInFlight, Interlocked.Increment(ref inFlight));
                var answer = new TaskCompletionSource<IApiResponse<EventContract>>(TaskCreationOptions.RunContinuationsAsynchronously);
                started.Writer.TryWrite((id, answer));
                return answer.Task;
            });
        void Answer((string Id, TaskCompletionSource<IApiResponse<EventContract>> Answer) call)
        {
            // Leave the count before answering: the freed slot may be refilled as soon as the answer lands.
            Interlocked.Decrement(ref inFlight);
            call.Answer.SetResult(ApiResponses.Ok(RefitClientMock.Event(call.Id)));
        }

        using var guard = new CancellationTokenSource(Guard);
        var request = Service(new EventFetchOptions { MaxConcurrency = limit }).GetEventsByUserIdAsync(UserId, guard.Token);

        // Wait for the limit to fill, then free one slot at a time: a bound below 4 never fills it (the guard
        // fires), and no bound at all starts all 20 calls at once.
        var waiting = new Queue<(string, TaskCompletionSource<IApiResponse<EventContract>>)>();
        for (var received = 0; received < count; received++)
        {
            waiting.Enqueue(await started.Reader.ReadAsync(guard.Token));
            if (waiting.Count == limit)
            {
                Answer(waiting.Dequeue());
            }
        }

        while (waiting.Count > 0)
        {
            Answer(waiting.Dequeue());
        }

        var events = await request.WaitAsync(guard.Token);

        Assert.Multiple(() =>
        {
            Assert.That(maxInFlight, Is.EqualTo(limit));
            Assert.That(events.Select(e => e.Id), Is.EqualTo(eventIds));
        });
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenLaterEventsAnswerFirst_KeepsTheUsersOrder()
    {
        const int count = 20;
        var eventIds = ManyEventIds(count);
        _client.SetupUser(UserId, eventIds);
        var answers = new TaskCompletionSource<IApiResponse<EventContract>>[count];
        var started = 0;
        _client.Setup(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken token) =>
            {
                var answer = answers[Array.IndexOf(eventIds, id)] = new TaskCompletionSource<IApiResponse<EventContract>>();
                if (Interlocked.Increment(ref started) == count)
                {
                    _ = Task.Run(() =>
                    {
                        for (var index = count - 1; index >= 0; index--)
                        {
                            answers[index].SetResult(ApiResponses.Ok(RefitClientMock.Event(eventIds[index])));
                        }
                    },
                    CancellationToken.None);
                }

                return answer.Task;
            });

        // With the cache off, nothing between the Refit call and the service hops threads, so each answer is
        // consumed inline, strictly in the reverse order it is given.
        var service = Service(new EventFetchOptions { CacheDuration = TimeSpan.Zero });

        var events = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None).WaitAsync(Guard);

        Assert.That(events.Select(e => e.Id), Is.EqualTo(eventIds));
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenAnEventAnswers404_LeavesOnlyThatEventOut()
    {
        _client.SetupUser(UserId, "event-1", "event-gone", "event-3");
        _client.SetupEvents("event-1", "event-3");
        _client.SetupEventStatus("event-gone", HttpStatusCode.NotFound);

        var events = await Service().GetEventsByUserIdAsync(UserId, CancellationToken.None);

        Assert.That(events, Is.EqualTo(new[] { RefitClientMock.EventDto("event-1"), RefitClientMock.EventDto("event-3") }));
    }

    [Test]
    public void GetEventsByUserIdAsync_WhenAnEventFailsThroughItsRetries_FailsTheWholeRequest()
    {
        _client.SetupUser(UserId, "event-1", "event-busy", "event-3");
        _client.SetupEvents("event-1", "event-3");
        _client.SetupEventStatus("event-busy", HttpStatusCode.ServiceUnavailable);
        var service = Service();

        Assert.That(
            async () => await service.GetEventsByUserIdAsync(UserId, CancellationToken.None),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
    }

    [Test]
    public void GetEventsByUserIdAsync_WhenUserAnswers404_ThrowsNotFoundException()
    {
        _client.SetupUserNotFound("404");
        var service = Service();

        Assert.That(
            async () => await service.GetEventsByUserIdAsync("404", CancellationToken.None),
            Throws.TypeOf<NotFoundException>().With.Property(nameof(NotFoundException.Id)).EqualTo("404"));
        _client.Verify(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task GetEventsByUserIdAsync_With50ConcurrentRequestsForOneEvent_CallsUpstreamOnce()
    {
        const int requests = 50;
        _client.SetupUser(UserId, "event-1");
        var upstreamCalls = 0;
        var joined = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.Setup(c => c.GetEventByIdAsync("event-1", It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken _) =>
            {
                if (Interlocked.Increment(ref upstreamCalls) > 1)
                {
                    release.TrySetResult(); // already wrong: no need to wait for the others
                }

                return AnswerOnceAsync(id, release.Task);
            });
        // The single upstream call is held until every request has asked the cache, so none can come late
        // and find the value already cached.
        var service = Service(decorateCache: cache => new ObservedHybridCache(cache, () =>
        {
            if (Interlocked.Increment(ref joined) == requests)
            {
                release.TrySetResult();
            }
        }));

        var results = await Task.WhenAll(
            Enumerable.Range(0, requests).Select(_ => service.GetEventsByUserIdAsync(UserId, CancellationToken.None)))
            .WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(upstreamCalls, Is.EqualTo(1));
            Assert.That(results, Has.All.EqualTo(new[] { RefitClientMock.EventDto("event-1") }));
        });
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenAskedTwice_ReadsTheUserAgainButNotTheEvents()
    {
        _client.SetupUser(UserId, "event-1", "event-3");
        _client.SetupEvents("event-1", "event-3");
        var service = Service();

        var first = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);
        var second = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
        _client.Verify(c => c.GetUserByIdAsync(UserId, It.IsAny<CancellationToken>()), Times.Exactly(2));
        _client.VerifyEventFetched("event-1", Times.Once());
        _client.VerifyEventFetched("event-3", Times.Once());
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenAnEventAnswered404_AsksForItAgainNextTime()
    {
        _client.SetupUser(UserId, "event-1", "event-late");
        _client.SetupEvents("event-1");
        _client.SetupSequence(c => c.GetEventByIdAsync("event-late", It.IsAny<CancellationToken>()))
            .ReturnsAsync(ApiResponses.NotFound<EventContract>())
            .ReturnsAsync(ApiResponses.Ok(RefitClientMock.Event("event-late")));
        var service = Service();

        var first = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);
        var second = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(e => e.Id), Is.EqualTo(new[] { "event-1" }));
            Assert.That(second.Select(e => e.Id), Is.EqualTo(new[] { "event-1", "event-late" }));
        });
        _client.VerifyEventFetched("event-late", Times.Exactly(2));
        _client.VerifyEventFetched("event-1", Times.Once());
    }

    [Test]
    public async Task GetEventsByUserIdAsync_AfterAddEventAsync_ReturnsTheNewEventAtOnce()
    {
        // The mocked API stores what it is sent, as the real one does.
        var userEvents = new List<string> { "event-1" };
        var stored = new Dictionary<string, EventContract> { ["event-1"] = RefitClientMock.Event("event-1") };
        _client.Setup(c => c.GetUserByIdAsync(UserId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(RefitClientMock.User(UserId, userEvents)));
        _client.Setup(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => ApiResponses.Ok(stored[id]));
        _client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .Callback((EventContract body, CancellationToken _) =>
            {
                stored[body.Id!] = body;
                userEvents.Add(body.Id!);
            })
            .ReturnsAsync(() => ApiResponses.Ok(new AddEventResponseContract(true, null, null)));
        var service = Service();
        var before = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);

        var added = await service.AddEventAsync(new AddEventCommand("Launch", UserId, "Rooftop", null), CancellationToken.None);
        var after = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);

        Assert.That(after, Is.EqualTo(before.Append(added)));
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenCacheDurationIsZero_AsksUpstreamEveryTime()
    {
        _client.SetupUser(UserId, "event-1", "event-3");
        _client.SetupEvents("event-1", "event-3");
        var service = Service(new EventFetchOptions { CacheDuration = TimeSpan.Zero });

        await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);
        var second = await service.GetEventsByUserIdAsync(UserId, CancellationToken.None);

        Assert.That(second.Select(e => e.Id), Is.EqualTo(new[] { "event-1", "event-3" }));
        _client.VerifyEventFetched("event-1", Times.Exactly(2));
        _client.VerifyEventFetched("event-3", Times.Exactly(2));
    }

    private EventsService Service(EventFetchOptions? options = null, Func<HybridCache, HybridCache>? decorateCache = null)
    {
        _harness = new ServiceHarness(_client, options, decorateCache);
        return _harness.Events;
    }

    /// <summary>Ids in an order that is neither sorted nor the order they answer in.</summary>
    private static string[] ManyEventIds(int count) =>
        Enumerable.Range(0, count).Select(i => $"event-{i * 7 % count:00}").ToArray();

    private static async Task<IApiResponse<EventContract>> AnswerOnceAsync(string eventId, Task release)
    {
        await release;
        return ApiResponses.Ok(RefitClientMock.Event(eventId));
    }

}
