using System.Runtime.CompilerServices;

namespace EventManagement.Application.Overload;

/// <summary>
/// A limit of concurrent calls shared by all requests, handed out smallest request first: each freed slot goes to
/// the request with the fewest calls waiting (ties: the request that came first), as shortest-remaining-time-first
/// scheduling does. A request with one lookup gets the next freed slot, however many lookups big requests have
/// queued (a FIFO limiter would serve it after all of them), and big requests finish one after another instead of
/// all together at the end of a burst.
/// </summary>
/// <remarks>
/// <para>
/// Why not round-robin between requests: sharing the slots equally makes requests of equal size progress together,
/// so under load all of them finish at the end of the burst, and with a deadline all of them miss it together.
/// Smallest first keeps round-robin's promise to small requests (they never wait behind a big one) and finishes the
/// big ones in turn, so a deadline cuts off the last of them only. A big request can be held back by a stream of
/// small ones, but only for as long as the budget is full of them: its deadline bounds the wait, and admission
/// (<see cref="AdmissionController"/>) refuses at once what this order could not finish in time.
/// </para>
/// <para>
/// A "flow" is any object that identifies a request (reference equality); calls made outside a request share one.
/// A waiter whose token is cancelled leaves the queue at once and never gets a slot. Thread-safe; every state change
/// happens under one lock and nothing is awaited under it.
/// </para>
/// </remarks>
public sealed class FairConcurrencyLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, Flow> _flows = new(ReferenceEqualityComparer.Instance);
    private readonly SortedSet<Flow> _order = new(Flow.SmallestFirst);
    // The order in which flows first asked, kept while the flow object lives: a flow that empties and asks again
    // keeps its place among flows of the same size.
    private readonly ConditionalWeakTable<object, StrongBox<long>> _arrivals = new();
    private long _nextArrival;
    private int _inFlight;
    private int _waiting;

    /// <param name="limit">Calls in flight at most.</param>
    /// <param name="maxWaiting">Calls that may wait at most; one more is refused with <see cref="ServiceBusyException"/>.</param>
    public FairConcurrencyLimiter(int limit, int maxWaiting)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        Limit = limit;
        MaxWaiting = maxWaiting;
    }

    /// <summary>Calls in flight at most.</summary>
    public int Limit { get; }

    /// <summary>Calls that may wait at most.</summary>
    public int MaxWaiting { get; }

    /// <summary>Calls holding a slot now.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Calls waiting for a slot now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting;
            }
        }
    }

    /// <summary>Waits for a slot for <paramref name="flow"/>; dispose the slot when the call has ended.</summary>
    /// <exception cref="ServiceBusyException">The queue is full.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a slot was free.</exception>
    public async ValueTask<IDisposable> AcquireAsync(object flow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            if (_inFlight < Limit)
            {
                // Slots are only free while nobody waits: a release hands its slot straight to the next waiter.
                _inFlight++;
                return new Slot(this);
            }

            if (_waiting >= MaxWaiting)
            {
                throw new ServiceBusyException(
                    $"{_waiting} calls to the external API are already waiting for one of its {Limit} slots.",
                    TimeSpan.FromSeconds(1));
            }

            if (_flows.TryGetValue(flow, out var queue))
            {
                // Its rank depends on its count: out of the order while the count changes.
                _order.Remove(queue);
            }
            else
            {
                queue = new Flow(flow, _arrivals.GetValue(flow, _ => new StrongBox<long>(_nextArrival++)).Value);
                _flows.Add(flow, queue);
            }

            waiter = new Waiter(this, queue);
            waiter.Node = queue.Waiters.AddLast(waiter);
            _waiting++;
            _order.Add(queue);
        }

        // Not WaitAsync(token): a slot granted as the token fires must reach the caller (who releases it), not leak.
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Leave(token), waiter))
        {
            await waiter.Granted.Task.ConfigureAwait(false);
        }

        return new Slot(this);
    }

    // A waiter's token was cancelled: it leaves the queue unless it was granted a slot meanwhile.
    private void Leave(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node is not { } node)
            {
                return;
            }

            var queue = waiter.Flow;
            _order.Remove(queue);
            queue.Waiters.Remove(node);
            waiter.Node = null;
            _waiting--;
            Requeue(queue);
        }

        waiter.Granted.TrySetCanceled(cancellationToken);
    }

    private void Release()
    {
        Waiter? next = null;
        lock (_gate)
        {
            if (_order.Min is { } queue)
            {
                _order.Remove(queue);
                next = queue.Waiters.First!.Value;
                queue.Waiters.RemoveFirst();
                next.Node = null;
                _waiting--;
                Requeue(queue);
            }
            else
            {
                _inFlight--;
            }
        }

        // The slot passes to the waiter as it is: the count in flight does not change.
        next?.Granted.TrySetResult();
    }

    // Under the lock, for a flow taken out of the order: back in at its new rank, or forgotten when it has emptied.
    private void Requeue(Flow queue)
    {
        if (queue.Waiters.Count > 0)
        {
            _order.Add(queue);
        }
        else
        {
            _flows.Remove(queue.Key);
        }
    }

    private sealed class Flow(object key, long arrival)
    {
        // Fewest waiting first, then the first to arrive; arrivals are unique, so no two flows compare equal.
        public static readonly IComparer<Flow> SmallestFirst = Comparer<Flow>.Create(static (a, b) =>
        {
            var bySize = a.Waiters.Count.CompareTo(b.Waiters.Count);
            return bySize != 0 ? bySize : a.Arrival.CompareTo(b.Arrival);
        });

        public object Key { get; } = key;

        public long Arrival { get; } = arrival;

        public LinkedList<Waiter> Waiters { get; } = new();
    }

    private sealed class Waiter(FairConcurrencyLimiter limiter, Flow flow)
    {
        public Flow Flow { get; } = flow;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Leave(CancellationToken cancellationToken) => limiter.Leave(this, cancellationToken);
    }

    private sealed class Slot(FairConcurrencyLimiter limiter) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release();
            }
        }
    }
}
