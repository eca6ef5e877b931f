using EventManagement.Application.Overload;
using EventManagement.Tests.Builders;

namespace EventManagement.Tests.Unit.Application.Overload;

/// <summary>
/// <see cref="FairConcurrencyLimiter"/>: the limit is never exceeded, freed slots go to the request with the fewest
/// calls waiting (ties: the first to ask), and a cancelled waiter never gets a slot. No sleeps: a slot is a task that completes or not.
/// </summary>
[TestFixture]
public sealed class FairConcurrencyLimiterTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AcquireAsync_UpToTheLimit_GrantsAtOnceThenQueues()
    {
        var limiter = new FairConcurrencyLimiter(2, maxWaiting: 10);
        var flow = new object();

        var first = await limiter.AcquireAsync(flow, CancellationToken.None);
        var second = await limiter.AcquireAsync(flow, CancellationToken.None);
        var third = limiter.AcquireAsync(flow, CancellationToken.None).AsTask();

        Assert.Multiple(() =>
        {
            Assert.That(third.IsCompleted, Is.False);
            Assert.That(limiter.InFlight, Is.EqualTo(2));
            Assert.That(limiter.Waiting, Is.EqualTo(1));
        });

        first.Dispose();
        (await third.WaitAsync(Guard)).Dispose();
        second.Dispose();
        Assert.That(limiter.InFlight, Is.Zero);
    }

    [Test]
    public async Task AcquireAsync_ManyConcurrentCallers_NeverExceedsTheLimit()
    {
        const int limit = 8;
        var limiter = new FairConcurrencyLimiter(limit, maxWaiting: 10_000);
        var inFlight = 0;
        var peak = 0;
        var gates = Enumerable.Range(0, 400).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        var calls = gates.Select(async (gate, index) =>
        {
            using var slot = await limiter.AcquireAsync(index % 7, CancellationToken.None);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMaximum.RaiseToAtLeast(ref peak, now);
            await gate.Task;
            Interlocked.Decrement(ref inFlight);
        }).ToArray();

        foreach (var gate in gates)
        {
            gate.SetResult();
        }

        await Task.WhenAll(calls).WaitAsync(Guard);
        Assert.Multiple(() =>
        {
            Assert.That(peak, Is.LessThanOrEqualTo(limit));
            Assert.That(limiter.InFlight, Is.Zero);
            Assert.That(limiter.Waiting, Is.Zero);
        });
    }

    [Test]
    public async Task Release_WhileABigRequestHasManyWaiting_GivesTheNextSlotToASmallRequestThatArrivedLater()
    {
        var limiter = new FairConcurrencyLimiter(2, maxWaiting: 1000);
        var big = new object();
        var small = new object();
        var held = new[] { await limiter.AcquireAsync(big, CancellationToken.None), await limiter.AcquireAsync(big, CancellationToken.None) };
        var bigWaiting = Enumerable.Range(0, 100).Select(_ => limiter.AcquireAsync(big, CancellationToken.None).AsTask()).ToArray();
        var smallWaiting = limiter.AcquireAsync(small, CancellationToken.None).AsTask();

        held[0].Dispose(); // the small request: 1 waiting against the big one's 100

        var smallSlot = await smallWaiting.WaitAsync(Guard);
        Assert.That(bigWaiting.Count(t => t.IsCompleted), Is.Zero);

        smallSlot.Dispose();
        held[1].Dispose();
        foreach (var waiting in bigWaiting)
        {
            (await waiting.WaitAsync(Guard)).Dispose();
        }
    }

    [Test]
    public async Task Release_WithThreeRequestsWaiting_ServesTheOneWithFewestWaitingFirst()
    {
        var order = await GrantOrderAsync("a", "a", "a", "b", "b", "c");

        Assert.That(order, Is.EqualTo(new[] { "c", "b", "b", "a", "a", "a" }));
    }

    [Test]
    public async Task Release_WithRequestsOfEqualSize_FinishesTheFirstBeforeStartingTheNext()
    {
        // Round-robin would interleave them (a b a b a b) so that all three end together at the very end.
        var order = await GrantOrderAsync("a", "a", "b", "b", "c", "c");

        Assert.That(order, Is.EqualTo(new[] { "a", "a", "b", "b", "c", "c" }));
    }

    // Queues one call per entry behind a held slot (each entry names its request), frees the slot and records the
    // order in which the calls get theirs; each releases its slot at once, so the grants happen one after another.
    private static async Task<List<string>> GrantOrderAsync(params string[] calls)
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 100);
        var order = new List<string>();
        var holder = await limiter.AcquireAsync(new object(), CancellationToken.None);
        var waiting = new List<Task>();
        foreach (var flow in calls)
        {
            waiting.Add(TakeAndRecordAsync(flow));
        }

        Assert.That(limiter.Waiting, Is.EqualTo(calls.Length));
        holder.Dispose();
        await Task.WhenAll(waiting).WaitAsync(Guard);
        return order;

        async Task TakeAndRecordAsync(string flow)
        {
            // Literal strings are interned: the same name is the same flow object.
            var slot = await limiter.AcquireAsync(flow, CancellationToken.None);
            lock (order)
            {
                order.Add(flow);
            }

            // Released after the grant is recorded, so the next grant happens strictly after this one.
            slot.Dispose();
        }
    }

    [Test]
    public async Task Release_WhenARequestEmptiesAndAsksAgain_KeepsItsPlaceAmongRequestsOfTheSameSize()
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 100);
        var first = new object();
        var second = new object();
        var holder = await limiter.AcquireAsync(new object(), CancellationToken.None);
        var firstWaiting = limiter.AcquireAsync(first, CancellationToken.None).AsTask();
        var secondWaiting = limiter.AcquireAsync(second, CancellationToken.None).AsTask();
        holder.Dispose();
        var firstSlot = await firstWaiting.WaitAsync(Guard); // one waiting each: the first to ask goes first

        // The first request has no call waiting now; it asks again, behind the second request's call.
        var firstAgain = limiter.AcquireAsync(first, CancellationToken.None).AsTask();
        firstSlot.Dispose();

        // One waiting each again: the first request still asked first, so it goes first.
        var slot = await firstAgain.WaitAsync(Guard);
        Assert.That(secondWaiting.IsCompleted, Is.False);
        slot.Dispose();
        (await secondWaiting.WaitAsync(Guard)).Dispose();
    }

    [Test]
    public async Task AcquireAsync_WhenTheWaiterIsCancelled_LeavesTheQueueAndNeverGetsTheSlot()
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 10);
        var holder = await limiter.AcquireAsync(new object(), CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(new object(), cancellation.Token).AsTask();
        var next = limiter.AcquireAsync(new object(), CancellationToken.None).AsTask();

        await cancellation.CancelAsync();

        Assert.That(async () => await cancelled.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(limiter.Waiting, Is.EqualTo(1));
        holder.Dispose();
        var slot = await next.WaitAsync(Guard);
        Assert.That(limiter.InFlight, Is.EqualTo(1));
        slot.Dispose();
        Assert.That(limiter.InFlight, Is.Zero);
    }

    [Test]
    public async Task AcquireAsync_WhenTheQueueIsFull_RefusesAsServiceBusy()
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 1);
        using var holder = await limiter.AcquireAsync(new object(), CancellationToken.None);
        var queued = limiter.AcquireAsync(new object(), CancellationToken.None).AsTask();

        Assert.That(
            async () => await limiter.AcquireAsync(new object(), CancellationToken.None),
            Throws.TypeOf<ServiceBusyException>());
        Assert.That(queued.IsCompleted, Is.False);
    }

    [Test]
    public async Task Slot_DisposedTwice_ReleasesOnce()
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 10);
        var slot = await limiter.AcquireAsync(new object(), CancellationToken.None);
        var waiting = limiter.AcquireAsync(new object(), CancellationToken.None).AsTask();

        slot.Dispose();
        slot.Dispose();

        var second = await waiting.WaitAsync(Guard);
        Assert.That(limiter.InFlight, Is.EqualTo(1));
        second.Dispose();
    }

}
