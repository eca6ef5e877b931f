using System.Collections.Concurrent;
using System.Diagnostics;
using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;

namespace EventManagement.Tests.Unit.Application.Common;

/// <summary>
/// <see cref="FreshReadCoalescer{TKey, TValue}"/>: callers share reads, but never one that started before they asked.
/// Every upstream read here is a <see cref="TaskCompletionSource{TResult}"/> the test completes, so nothing depends on timing.
/// </summary>
[TestFixture]
public sealed class FreshReadCoalescerTests
{
    private ControlledReads _reads = null!;
    private FreshReadCoalescer<string, int> _coalescer = null!;

    [SetUp]
    public void SetUp()
    {
        _reads = new ControlledReads();
        _coalescer = new FreshReadCoalescer<string, int>(_reads.ReadAsync);
    }

    [Test]
    public async Task ReadAsync_WhenAlone_ReadsOnceAndKeepsNothingForTheNextCaller()
    {
        var first = _coalescer.ReadAsync("users", CancellationToken.None);
        _reads.Complete(0, 1);
        Assert.That(await first, Is.EqualTo(1));

        var second = _coalescer.ReadAsync("users", CancellationToken.None);
        Assert.That(_reads.Count, Is.EqualTo(2), "a read that has ended is not reused");
        _reads.Complete(1, 2);
        Assert.That(await second, Is.EqualTo(2));
    }

    [Test]
    public async Task ReadAsync_WhenCallersArriveDuringARead_TheyShareTheNextReadNotTheRunningOne()
    {
        var early = _coalescer.ReadAsync("users", CancellationToken.None);
        var late = Enumerable.Range(0, 10).Select(_ => _coalescer.ReadAsync("users", CancellationToken.None)).ToArray();

        Assert.That(_reads.Count, Is.EqualTo(1), "the queued read waits for the running one");
        _reads.Complete(0, 100);
        Assert.That(await early, Is.EqualTo(100));
        Assert.That(late.Any(task => task.IsCompleted), Is.False, "a read that started before them must not answer them");

        await _reads.WaitForCountAsync(2);
        _reads.Complete(1, 200);
        Assert.That(await Task.WhenAll(late), Is.All.EqualTo(200));
        Assert.That(_reads.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task ReadAsync_ReportsEachCallerThatJoinsAReadAnotherCallerQueued()
    {
        var joined = 0;
        var coalescer = new FreshReadCoalescer<string, int>(_reads.ReadAsync, () => Interlocked.Increment(ref joined));

        var running = coalescer.ReadAsync("users", CancellationToken.None);
        var queued = Enumerable.Range(0, 5).Select(_ => coalescer.ReadAsync("users", CancellationToken.None)).ToArray();
        _reads.Complete(0, 1);
        await running;
        await _reads.WaitForCountAsync(2);
        _reads.Complete(1, 2);
        await Task.WhenAll(queued);

        Assert.That(joined, Is.EqualTo(4), "6 callers, 2 reads: the first queued caller made the second read, 4 joined it");
    }

    [Test]
    public async Task ReadAsync_ForDifferentKeys_ReadsEachKeyOnItsOwn()
    {
        var a = _coalescer.ReadAsync("a", CancellationToken.None);
        var b = _coalescer.ReadAsync("b", CancellationToken.None);

        Assert.That(_reads.Keys, Is.EqualTo(new[] { "a", "b" }));
        _reads.Complete(0, 1);
        _reads.Complete(1, 2);
        Assert.That(new[] { await a, await b }, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task ReadAsync_WhenTheReadFails_EveryCallerOfThatReadGetsTheFailureAndTheNextCallReadsAgain()
    {
        var first = _coalescer.ReadAsync("users", CancellationToken.None);
        var queued = new[] { _coalescer.ReadAsync("users", CancellationToken.None), _coalescer.ReadAsync("users", CancellationToken.None) };
        _reads.Complete(0, 1);
        await first;
        await _reads.WaitForCountAsync(2);

        _reads.Fail(1, new UpstreamException(UpstreamFailureKind.Unavailable, "down"));

        foreach (var caller in queued)
        {
            Assert.That(async () => await caller, Throws.TypeOf<UpstreamException>());
        }

        var retry = _coalescer.ReadAsync("users", CancellationToken.None);
        Assert.That(_reads.Count, Is.EqualTo(3));
        _reads.Complete(2, 3);
        Assert.That(await retry, Is.EqualTo(3));
    }

    [Test]
    public async Task ReadAsync_WhenOneOfTwoCallersCancels_TheReadGoesOnForTheOther()
    {
        var (impatient, patient) = (new CancellationTokenSource(), CancellationToken.None);
        using (impatient)
        {
            var (cancelled, waiting) = await TwoCallersOfTheSecondReadAsync(impatient.Token, patient);

            await impatient.CancelAsync();

            Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(_reads.Token(1).IsCancellationRequested, Is.False);
            _reads.Complete(1, 2);
            Assert.That(await waiting, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ReadAsync_WhenEveryCallerCancels_TheUpstreamReadIsCancelled()
    {
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var (a, b) = await TwoCallersOfTheSecondReadAsync(first.Token, second.Token);

        await first.CancelAsync();
        Assert.That(async () => await a, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_reads.Token(1).IsCancellationRequested, Is.False, "one caller still waits");

        await second.CancelAsync();
        Assert.That(async () => await b, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_reads.Token(1).IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task ReadAsync_WhenEveryCallerOfAQueuedReadCancels_ThatReadNeverStarts()
    {
        var running = _coalescer.ReadAsync("users", CancellationToken.None);
        using var queuedCaller = new CancellationTokenSource();
        var queued = _coalescer.ReadAsync("users", queuedCaller.Token);

        await queuedCaller.CancelAsync();
        Assert.That(async () => await queued, Throws.InstanceOf<OperationCanceledException>());
        _reads.Complete(0, 1);
        await running;

        var next = _coalescer.ReadAsync("users", CancellationToken.None);
        Assert.That(_reads.Count, Is.EqualTo(2), "the abandoned read was skipped; the next caller's read is the second");
        _reads.Complete(1, 2);
        Assert.That(await next, Is.EqualTo(2));
    }

    [Test]
    public void ReadAsync_WhenAlreadyCancelled_ThrowsWithoutReading()
    {
        Assert.That(
            async () => await _coalescer.ReadAsync("users", new CancellationToken(canceled: true)),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_reads.Count, Is.Zero);
    }

    [Test]
    public async Task ReadAsync_RunsAQueuedReadInTheExecutionContextOfTheCallerThatQueuedIt()
    {
        var caller = new AsyncLocal<string?>();
        var seen = new ConcurrentQueue<string?>();
        var reads = new ControlledReads(() => seen.Enqueue(caller.Value));
        var coalescer = new FreshReadCoalescer<string, int>(reads.ReadAsync);

        caller.Value = "first";
        var first = coalescer.ReadAsync("users", CancellationToken.None);
        caller.Value = "second";
        var second = coalescer.ReadAsync("users", CancellationToken.None);
        reads.Complete(0, 1);
        await first;
        await reads.WaitForCountAsync(2);
        reads.Complete(1, 2);
        await second;

        Assert.That(seen, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task ReadAsync_WhileTracing_ASharedReadIsASpanOfTheCallerThatQueuedItLinkedToTheOthers()
    {
        var ended = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == EventManagementActivities.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = ended.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var coalescer = new FreshReadCoalescer<string, int>(_reads.ReadAsync, spanName: "shared read users");

        var (runningCaller, running) = ReadAsCallerOfItsOwnTrace(coalescer);
        var (queuingCaller, queued) = ReadAsCallerOfItsOwnTrace(coalescer);
        var (joiningCaller, joined) = ReadAsCallerOfItsOwnTrace(coalescer);
        _reads.Complete(0, 1);
        await running;
        await _reads.WaitForCountAsync(2);
        _reads.Complete(1, 2);
        await Task.WhenAll(queued, joined);

        var spans = ended.Where(span => span.DisplayName == "shared read users").ToArray();
        Assert.That(spans, Has.Length.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spans[0].ParentSpanId, Is.EqualTo(runningCaller.SpanId));
            Assert.That(spans[0].Links, Is.Empty);
            Assert.That(spans[1].TraceId, Is.EqualTo(queuingCaller.TraceId), "the shared read belongs to the trace that queued it");
            Assert.That(spans[1].ParentSpanId, Is.EqualTo(queuingCaller.SpanId));
            Assert.That(spans[1].Links.Select(link => link.Context), Is.EqualTo(new[] { joiningCaller.Context }), "the caller that joined is linked");
        }
    }

    // A caller with a request span of its own, in a trace of its own; the test's flow is left without a current span.
    private static (Activity Caller, Task<int> Read) ReadAsCallerOfItsOwnTrace(FreshReadCoalescer<string, int> coalescer)
    {
        Activity.Current = null;
        var caller = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var read = coalescer.ReadAsync("users", CancellationToken.None);
        Activity.Current = null;
        return (caller, read);
    }

    // Two callers that queued behind a first read, once their shared (second) read has started.
    private async Task<(Task<int> First, Task<int> Second)> TwoCallersOfTheSecondReadAsync(CancellationToken first, CancellationToken second)
    {
        var running = _coalescer.ReadAsync("users", CancellationToken.None);
        var callers = (_coalescer.ReadAsync("users", first), _coalescer.ReadAsync("users", second));
        _reads.Complete(0, 1);
        await running;
        await _reads.WaitForCountAsync(2);
        return callers;
    }

    /// <summary>Upstream reads that end when the test says so, recorded in the order they started.</summary>
    private sealed class ControlledReads(Action? onRead = null)
    {
        private readonly List<(string Key, CancellationToken Token, TaskCompletionSource<int> Result)> _started = [];
        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _readStarted = new(0);

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _started.Count;
                }
            }
        }

        public IReadOnlyList<string> Keys
        {
            get
            {
                lock (_gate)
                {
                    return _started.Select(read => read.Key).ToArray();
                }
            }
        }

        public Task<int> ReadAsync(string key, CancellationToken token)
        {
            onRead?.Invoke();
            var result = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            token.Register(() => result.TrySetCanceled(token));
            lock (_gate)
            {
                _started.Add((key, token, result));
            }

            _readStarted.Release();

            return result.Task;
        }

        public CancellationToken Token(int index) => Read(index).Token;

        public void Complete(int index, int value) => Read(index).Result.SetResult(value);

        public void Fail(int index, Exception exception) => Read(index).Result.SetException(exception);

        // A queued read starts on the continuation of the one before it, on the thread pool.
        public async Task WaitForCountAsync(int count)
        {
            while (Count < count)
            {
                Assert.That(await _readStarted.WaitAsync(TimeSpan.FromSeconds(10)), Is.True, $"read {count} did not start");
            }
        }

        private (string Key, CancellationToken Token, TaskCompletionSource<int> Result) Read(int index)
        {
            lock (_gate)
            {
                return _started[index];
            }
        }
    }
}
