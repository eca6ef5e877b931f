using System.Diagnostics;
using EventManagement.Application.Diagnostics;

namespace EventManagement.Application.Common;

/// <summary>
/// Lets concurrent reads of the same key share one upstream call without ever answering from stale data: a caller
/// only joins a read that has not started yet. While a read for a key is in flight, callers that arrive queue for
/// the next read, which starts as soon as the current one ends and serves all of them. So every answer comes from
/// a read that began after its caller asked (an event added just before shows up), and under load each key costs at
/// most one upstream call in flight plus one queued, however many callers there are.
/// </summary>
/// <remarks>
/// A read belongs to all its callers, so no single caller's cancellation stops it; it is cancelled when every caller
/// that joined it has given up. Its failure is every caller's failure. Nothing is kept once a read has ended.
/// A read belongs to the trace of the caller that queued it; with tracing on, its span links the other callers' spans.
/// </remarks>
public sealed class FreshReadCoalescer<TKey, TValue>
    where TKey : notnull
{
    private readonly Func<TKey, CancellationToken, Task<TValue>> _read;
    private readonly Action? _joined;
    private readonly string _spanName;
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Slot> _slots = [];

    /// <param name="read">The upstream read; called with a token that is cancelled once no caller waits for it.</param>
    /// <param name="joined">Called for each caller that joins a read another caller queued: an upstream call saved.</param>
    /// <param name="spanName">The name of a read's span when tracing is on.</param>
    public FreshReadCoalescer(Func<TKey, CancellationToken, Task<TValue>> read, Action? joined = null, string spanName = "shared read")
    {
        ArgumentNullException.ThrowIfNull(read);
        _read = read;
        _joined = joined;
        _spanName = spanName;
    }

    /// <summary>The value of <paramref name="key"/>, from a read that starts after this call.</summary>
    public async Task<TValue> ReadAsync(TKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Round round;
        var startNow = false;
        var joinedQueued = false;
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new Slot(key);
                _slots.Add(key, slot);
            }

            if (slot.Running is null)
            {
                round = slot.Running = new Round(slot);
                startNow = true;
            }
            else
            {
                joinedQueued = slot.Next is not null;
                round = slot.Next ??= new Round(slot);
                if (joinedQueued && EventManagementActivities.IsTracing && Activity.Current is { } caller)
                {
                    // The read runs in the trace of the caller that queued it; the others are linked to it.
                    (round.Links ??= []).Add(new ActivityLink(caller.Context));
                }
            }

            round.Callers++;
        }

        if (startNow)
        {
            _ = RunAsync(round);
        }
        else if (joinedQueued)
        {
            _joined?.Invoke();
        }

        try
        {
            return await round.Result.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Here rather than in a token callback, so that leaving is done before the caller sees the cancellation.
            Leave(round);
            throw;
        }
    }

    // Runs a round, then the round queued behind it (if anyone joined one), until the key has no callers left.
    private async Task RunAsync(Round? round)
    {
        while (round is not null)
        {
            try
            {
                // Each read runs in the execution context of the call that created its round (its trace, its scope).
                var read = round.Context is null ? StartRead(round) : RunInContext(round);
                round.Result.TrySetResult(await read);
            }
            catch (OperationCanceledException) when (round.Cancellation.IsCancellationRequested)
            {
                round.Result.TrySetCanceled(round.Cancellation.Token);
            }
            catch (Exception exception)
            {
                round.Result.TrySetException(exception);
            }

            lock (_gate)
            {
                var slot = round.Slot;
                round = slot.Next;
                slot.Running = round;
                slot.Next = null;
                if (round is null)
                {
                    _slots.Remove(slot.Key);
                }
            }
        }
    }

    private Task<TValue> RunInContext(Round round)
    {
        Task<TValue>? read = null;
        ExecutionContext.Run(round.Context!, _ => read = StartRead(round), null);
        return read!;
    }

    private Task<TValue> StartRead(Round round) =>
        EventManagementActivities.IsTracing ? ReadTracedAsync(round) : _read(round.Key, round.Cancellation.Token);

    private async Task<TValue> ReadTracedAsync(Round round)
    {
        // Default parent context: the current span of the caller that queued the read.
        using var activity = EventManagementActivities.Source.StartActivity(
            _spanName,
            ActivityKind.Internal,
            parentContext: default,
            links: round.Links);
        activity?.SetTag("shared_read.linked_callers", round.Links?.Count ?? 0);
        return await _read(round.Key, round.Cancellation.Token);
    }

    // A caller gave up. The last caller of a round cancels it: a running read is cancelled, a queued one never starts.
    private void Leave(Round round)
    {
        lock (_gate)
        {
            if (round.Result.Task.IsCompleted || --round.Callers > 0)
            {
                return;
            }

            if (round.Slot.Next == round)
            {
                round.Slot.Next = null;
                round.Result.TrySetCanceled();
                return;
            }
        }

        // Outside the lock: cancellation runs the read's callbacks synchronously.
        round.Cancellation.Cancel();
    }

    private sealed class Slot(TKey key)
    {
        public TKey Key { get; } = key;

        public Round? Running { get; set; }

        public Round? Next { get; set; }
    }

    private sealed class Round(Slot slot)
    {
        public Slot Slot { get; } = slot;

        public TKey Key => Slot.Key;

        public ExecutionContext? Context { get; } = ExecutionContext.Capture();

        public TaskCompletionSource<TValue> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Never disposed: it has no timer and nobody asks for its wait handle, and a late Cancel must stay safe.
        public CancellationTokenSource Cancellation { get; } = new();

        public int Callers { get; set; }

        // The spans of the callers that joined this read after the one that queued it (only with tracing on).
        public List<ActivityLink>? Links { get; set; }
    }
}
