namespace EventManagement.Application.Resilience;

/// <summary>The states of <see cref="CircuitBreaker"/>.</summary>
public enum CircuitState
{
    /// <summary>Calls go through; failures are counted in a sliding window.</summary>
    Closed = 0,

    /// <summary>Calls are refused without touching the external API until the break is over.</summary>
    Open = 1,

    /// <summary>One probe call is in flight; every other call is refused.</summary>
    HalfOpen = 2,
}
