namespace EventManagement.Application.Resilience;

/// <summary>One transition of a <see cref="CircuitBreaker"/>.</summary>
/// <param name="from">The state it left.</param>
/// <param name="to">The state it entered.</param>
/// <param name="at">When, by the breaker's clock.</param>
public sealed class CircuitStateChangedEventArgs(CircuitState from, CircuitState to, DateTimeOffset at) : EventArgs
{
    public CircuitState From { get; } = from;

    public CircuitState To { get; } = to;

    public DateTimeOffset At { get; } = at;
}
