using EventManagement.Application.Events;
using EventManagement.Application.Overload;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Unit.Application.Overload;

/// <summary>
/// GET /getEventsByUserId's service over the call budget, admission and deadline, with the real cache and gateway
/// over a mocked Refit client whose lookups hang until the test answers them. Time is a FakeTimeProvider.
/// </summary>
[TestFixture]
public sealed class BudgetedEventsServiceTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private Mock<IExternalEventsApiClient> _client = null!;
    private UpstreamCallHold _lookups = null!;
    private ServiceHarness? _harness;

    [SetUp]
    public void SetUp()
    {
        _client = RefitClientMock.Create();
        _lookups = new UpstreamCallHold(_client);
    }

    [TearDown]
    public void TearDown()
    {
        RequestDeadline.Current = null;
        _harness?.Dispose();
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenTheDeadlinePasses_CancelsRunningLookupsAndNeverSendsQueuedOnes()
    {
        var harness = Harness(maxConcurrentCalls: 3);
        _client.SetupUser("big", Ids("big", 10));
        using var deadline = Deadline(harness, TimeSpan.FromSeconds(5));

        var request = harness.Events.GetEventsByUserIdAsync("big", deadline.Token);
        var running = new[] { await Next(), await Next(), await Next() };
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        // The service sees the cancellation; the Api's deadline middleware turns it into a 504 (tested there).
        Assert.That(async () => await request.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(deadline.HasExpired, Is.True);
            Assert.That(running.Select(l => l.Token.IsCancellationRequested), Has.All.True);
            Assert.That(_lookups.Sent, Is.EqualTo(3), "queued lookups must never be sent");
            Assert.That(harness.Budget.Waiting, Is.Zero);
        });
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenTheLookupsCannotFinishInTime_RefusesBeforeSendingAny()
    {
        // 2 calls in flight at 500 ms a lookup: 4 lookups a second, so 100 lookups need 25 s; the deadline is 5 s.
        var harness = Harness(maxConcurrentCalls: 2);
        _client.SetupUser("big", Ids("big", 100));
        using var deadline = Deadline(harness, TimeSpan.FromSeconds(5));

        var refusal = Assert.ThrowsAsync<ServiceBusyException>(
            async () => await harness.Events.GetEventsByUserIdAsync("big", deadline.Token).WaitAsync(Guard));

        Assert.Multiple(() =>
        {
            Assert.That(_lookups.Sent, Is.Zero);
            Assert.That(refusal!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(25)));
        });
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenAdmittedWorkFillsTheDeadline_RefusesTheNextRequestAndAdmitsItOnceTheWorkIsDone()
    {
        // 10 calls in flight at 500 ms: 20 lookups a second; 5 s deadline: at most 0.85 x 5 s - 0.5 s = 3.75 s of work.
        // The first request may use 5 of the 10 slots, so that the second one's user read is not queued behind it.
        var harness = Harness(maxConcurrentCalls: 10, maxConcurrencyPerRequest: 5);
        _client.SetupUser("first", Ids("first", 60));
        _client.SetupUser("second", Ids("second", 30));
        using var firstDeadline = Deadline(harness, TimeSpan.FromSeconds(5));
        var first = harness.Events.GetEventsByUserIdAsync("first", firstDeadline.Token);
        var sent = new List<HeldLookup> { await Next() };

        // 60 + 30 lookups: 4.5 s of work at 20 a second, past what the second request's deadline allows.
        using var secondDeadline = Deadline(harness, TimeSpan.FromSeconds(5));
        Assert.That(
            async () => await harness.Events.GetEventsByUserIdAsync("second", secondDeadline.Token).WaitAsync(Guard),
            Throws.TypeOf<ServiceBusyException>());
        sent.AddRange(_lookups.Drain());
        Assert.That(sent.Select(l => l.Id), Has.None.StartsWith("second"));

        sent.ForEach(l => l.Found());
        await AnswerAllAsync(first, 60 - sent.Count);
        using var thirdDeadline = Deadline(harness, TimeSpan.FromSeconds(5));
        var third = harness.Events.GetEventsByUserIdAsync("second", thirdDeadline.Token);
        await AnswerAllAsync(third, 30);
        Assert.That((await third).Count, Is.EqualTo(30));
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhileABigRequestFillsTheBudget_ServesASmallOneWithinTwoFreedSlots()
    {
        var harness = Harness(maxConcurrentCalls: 4);
        _client.SetupUser("big", Ids("big", 100));
        _client.SetupUser("small", Ids("small", 1));
        using var bigClient = new CancellationTokenSource();
        using var bigDeadline = Deadline(harness, TimeSpan.FromSeconds(30), bigClient.Token);
        var big = harness.Events.GetEventsByUserIdAsync("big", bigDeadline.Token);
        var running = new Queue<HeldLookup>([await Next(), await Next(), await Next(), await Next()]);

        using var smallDeadline = Deadline(harness, TimeSpan.FromSeconds(30));
        var small = harness.Events.GetEventsByUserIdAsync("small", smallDeadline.Token);
        RequestDeadline.Current = null;

        // Free one slot at a time. The request with the fewest calls waiting goes first, so the small request's user read
        // and then its lookup each get a slot within two freed slots: not after the big request's 96 queued.
        var freed = 0;
        HeldLookup next;
        do
        {
            // The small request's calls reach the budget through other threads (shared reads, the cache's factory):
            // free a slot only once its next call is there (big's unanswered calls plus one), so that the count
            // depends on the budget's turns and not on the scheduler.
            await WaitUntilAsync(() => harness.Budget.Waiting + harness.Budget.InFlight >= 100 - freed + 1);
            running.Dequeue().Found();
            freed++;
            next = await Next();
            running.Enqueue(next);
        }
        while (next.Id.StartsWith("big", StringComparison.Ordinal));

        next.Found();
        var events = await small.WaitAsync(Guard);
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Id), Is.EqualTo(new[] { "small-1" }));
            // Each of its two calls waits for at most one turn of the big request (the slot its user read frees may go
            // to the big request too, so the count of slots the test freed can be one more); FIFO would need 96.
            Assert.That(freed, Is.LessThanOrEqualTo(5), "a FIFO budget would free 96 slots first");
        });

        await bigClient.CancelAsync();
        Assert.That(async () => await big.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task GetEventsByUserIdAsync_WhenEverythingIsCached_IsNeverRefused()
    {
        var harness = Harness(maxConcurrentCalls: 2);
        _client.SetupUser("warm", Ids("warm", 100));
        using (var warmUp = Deadline(harness, TimeSpan.FromMinutes(5)))
        {
            await AnswerAllAsync(harness.Events.GetEventsByUserIdAsync("warm", warmUp.Token), 100);
        }

        // Cold, 100 lookups would need 25 s; cached, they need none.
        using var deadline = Deadline(harness, TimeSpan.FromSeconds(5));
        var events = await harness.Events.GetEventsByUserIdAsync("warm", deadline.Token).WaitAsync(Guard);

        Assert.That(events, Has.Count.EqualTo(100));
    }

    private static string[] Ids(string user, int count) => [.. Enumerable.Range(1, count).Select(i => $"{user}-{i}")];

    private static RequestDeadline Deadline(ServiceHarness harness, TimeSpan timeout, CancellationToken clientAborted = default)
    {
        var deadline = new RequestDeadline(timeout, harness.Time, clientAborted);
        RequestDeadline.Current = deadline;
        return deadline;
    }

    private ServiceHarness Harness(int maxConcurrentCalls, int maxConcurrencyPerRequest = 512) =>
        _harness = new ServiceHarness(
            _client,
            new EventFetchOptions { MaxConcurrency = maxConcurrencyPerRequest },
            maxConcurrentCalls: maxConcurrentCalls);

    /// <summary>Waits (for real, bounded by the guard) until the budget's counts satisfy <paramref name="condition"/>.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(patience.Elapsed, Is.LessThan(Guard), "the calls never reached the budget");
            await Task.Delay(1);
        }
    }

    private async Task<HeldLookup> Next()
    {
        using var guard = new CancellationTokenSource(Guard);
        return await _lookups.NextAsync(guard.Token);
    }

    // Answers lookups as they arrive until the request is done.
    private async Task AnswerAllAsync<T>(Task<T> request, int lookups)
    {
        for (var answered = 0; answered < lookups && !request.IsCompleted; answered++)
        {
            (await Next()).Found();
        }

        await request.WaitAsync(Guard);
    }
}
