namespace EventManagement.Infrastructure.Resilience;

/// <summary>One route's share of <see cref="RetryBudget"/>: a sliding window of calls and retries, and the reserve.</summary>
internal sealed class RouteRetryBudget
{
    private const int Buckets = 10;

    private readonly Lock _gate = new();
    private readonly double _ratio;
    private readonly double _reservePerSecond;
    private readonly double _reserveCapacity;
    private readonly long _bucketTicks;
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly long[] _calls = new long[Buckets];
    private readonly long[] _retries = new long[Buckets];
    private long _bucket;
    private double _reserve;
    private long _reserveTicks;

    public RouteRetryBudget(double ratio, double reservePerSecond, TimeSpan window, TimeProvider timeProvider)
    {
        _ratio = ratio;
        _reservePerSecond = reservePerSecond;
        // At most one second's worth saved up (and at least one retry, so that a small rate still grants whole retries).
        _reserveCapacity = reservePerSecond > 0 ? Math.Max(1, reservePerSecond) : 0;
        _reserve = _reserveCapacity;
        _bucketTicks = Math.Max(1, window.Ticks / Buckets);
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
    }

    public void RecordCall()
    {
        lock (_gate)
        {
            _calls[Advance() % Buckets]++;
        }
    }

    public bool TryRetry()
    {
        lock (_gate)
        {
            var now = Advance();
            long calls = 0, retries = 0;
            for (var i = 0; i < Buckets; i++)
            {
                calls += _calls[i];
                retries += _retries[i];
            }

            if (retries + 1 > _ratio * calls)
            {
                Refill();
                if (_reserve < 1)
                {
                    return false;
                }

                _reserve--;
            }

            _retries[now % Buckets]++;
            return true;
        }
    }

    // Moves the window to now, clearing the buckets that fell out of it; returns the current bucket's number.
    private long Advance()
    {
        var now = _timeProvider.GetElapsedTime(_origin).Ticks / _bucketTicks;
        for (var stale = Math.Max(_bucket + 1, now - Buckets + 1); stale <= now; stale++)
        {
            _calls[stale % Buckets] = 0;
            _retries[stale % Buckets] = 0;
        }

        _bucket = Math.Max(_bucket, now);
        return _bucket;
    }

    private void Refill()
    {
        var ticks = _timeProvider.GetElapsedTime(_origin).Ticks;
        _reserve = Math.Min(_reserveCapacity, _reserve + ((ticks - _reserveTicks) / (double)TimeSpan.TicksPerSecond * _reservePerSecond));
        _reserveTicks = ticks;
    }
}
