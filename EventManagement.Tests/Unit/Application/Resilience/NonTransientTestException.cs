namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>An answer rather than a fault (think: a 404). The breaker tests' isFailure returns false for it.</summary>
public sealed class NonTransientTestException() : Exception("Simulated non-transient answer of the external API.");
