namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>
/// A fault of the protected dependency (think: a 5xx that outlived the retries). The breaker tests' isFailure
/// returns true for it.
/// </summary>
public sealed class TransientTestException() : Exception("Simulated transient failure of the external API.");
