using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.MockApi;

/// <summary>A <see cref="FakeTimeProvider"/> that lets a test wait until requests have started their delays.</summary>
/// <remarks>
/// Advancing a fake clock before a request has created its timer would not fire that timer, so a test first
/// waits for the timers (no sleeping, no polling), then advances time.
/// </remarks>
public sealed class CountingFakeTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _inner = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _timersCreated;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public int TimersCreated
    {
        get
        {
            lock (_lock)
            {
                return _timersCreated;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _timersCreated++;
            foreach (var waiter in _waiters.Where(waiter => waiter.Count <= _timersCreated).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers in all have been created; fails after 10 s.</summary>
    public Task WaitForTimersAsync(int count)
    {
        lock (_lock)
        {
            if (_timersCreated >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
