using EventManagement.Application.Overload;
using EventManagement.Tests.Builders;

namespace EventManagement.Tests.Unit.Application.Overload;

/// <summary>
/// <see cref="FairConcurrencyLimiter"/>: the limit is never exceeded, freed slots go round-robin to the requests
/// that wait, and a cancelled waiter never gets a slot. No sleeps: a slot is a task that completes or not.
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

        held[0].Dispose(); // first turn: the big request (it queued first)
        var firstGrant = await Task.WhenAny(bigWaiting.Append(smallWaiting)).WaitAsync(Guard);
        held[1].Dispose(); // second turn: the small request, not the big one's 99 other waiters

        var smallSlot = await smallWaiting.WaitAsync(Guard);
        Assert.Multiple(() =>
        {
            Assert.That(firstGrant, Is.SameAs(bigWaiting[0]));
            Assert.That(bigWaiting.Count(t => t.IsCompleted), Is.EqualTo(1));
        });

        smallSlot.Dispose();
        (await firstGrant).Dispose();
        foreach (var waiting in bigWaiting.Skip(1))
        {
            (await waiting.WaitAsync(Guard)).Dispose();
        }
    }

    [Test]
    public async Task Release_WithThreeRequestsWaiting_ServesThemRoundRobin()
    {
        var limiter = new FairConcurrencyLimiter(1, maxWaiting: 100);
        var flows = new[] { "a", "b", "c" };
        var order = new List<string>();
        var holder = await limiter.AcquireAsync(new object(), CancellationToken.None);
        var waiting = new List<Task>();
        foreach (var flow in new[] { "a", "a", "a", "b", "b", "c" })
        {
            waiting.Add(TakeAndRecordAsync(flow));
        }

        holder.Dispose();
        await Task.WhenAll(waiting).WaitAsync(Guard);

        Assert.That(order, Is.EqualTo(new[] { "a", "b", "c", "a", "b", "a" }));

        async Task TakeAndRecordAsync(string flow)
        {
            var slot = await limiter.AcquireAsync(flows.Single(f => f == flow), CancellationToken.None);
            lock (order)
            {
                order.Add(flow);
            }

            // Released after the grant is recorded, so the next grant happens strictly after this one.
            slot.Dispose();
        }
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
