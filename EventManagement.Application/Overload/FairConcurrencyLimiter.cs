namespace EventManagement.Application.Overload;

/// <summary>
/// A limit of concurrent calls shared by all requests, handed out fairly: while calls wait, each freed slot goes
/// to the next request in round-robin order among the requests that have calls waiting, so every waiting request
/// gets an equal share of the slots as they free up, and a slot a request does not need goes to the others.
/// A request with one lookup is served after at most one slot per other waiting request, however many lookups a
/// big request has queued (a FIFO limiter would serve it after all of them).
/// </summary>
/// <remarks>
/// A "flow" is any object that identifies a request (reference equality); calls made outside a request share one.
/// A waiter whose token is cancelled leaves the queue at once and never gets a slot. Thread-safe; every state change
/// happens under one lock and nothing is awaited under it.
/// </remarks>
public sealed class FairConcurrencyLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, Flow> _flows = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<Flow> _turns = new();
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

            if (!_flows.TryGetValue(flow, out var queue))
            {
                queue = new Flow(flow);
                _flows.Add(flow, queue);
            }

            waiter = new Waiter(this, queue);
            waiter.Node = queue.Waiters.AddLast(waiter);
            _waiting++;
            if (!queue.HasTurn)
            {
                queue.HasTurn = true;
                _turns.Enqueue(queue);
            }
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
            queue.Waiters.Remove(node);
            waiter.Node = null;
            _waiting--;
            if (queue.Waiters.Count == 0 && _flows.TryGetValue(queue.Key, out var current) && current == queue)
            {
                // Its turn stays queued and is skipped when it comes up; a new waiter of the flow gets a new turn.
                _flows.Remove(queue.Key);
            }
        }

        waiter.Granted.TrySetCanceled(cancellationToken);
    }

    private void Release()
    {
        Waiter? next = null;
        lock (_gate)
        {
            while (next is null && _turns.TryDequeue(out var queue))
            {
                if (queue.Waiters.First is not { } node)
                {
                    queue.HasTurn = false;
                    continue;
                }

                queue.Waiters.RemoveFirst();
                next = node.Value;
                next.Node = null;
                _waiting--;
                if (queue.Waiters.Count > 0)
                {
                    _turns.Enqueue(queue);
                }
                else
                {
                    queue.HasTurn = false;
                    _flows.Remove(queue.Key);
                }
            }

            if (next is null)
            {
                _inFlight--;
            }
        }

        // The slot passes to the waiter as it is: the count in flight does not change.
        next?.Granted.TrySetResult();
    }

    private sealed class Flow(object key)
    {
        public object Key { get; } = key;

        public LinkedList<Waiter> Waiters { get; } = new();

        // In the round-robin queue (possibly as a stale turn of a flow that has emptied).
        public bool HasTurn { get; set; }
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
