using System.Collections.Concurrent;
using EventManagement.Infrastructure.ExternalApi;
using Microsoft.Extensions.Options;

namespace EventManagement.Infrastructure.Resilience;

/// <summary>
/// The retry budget of the whole process, in the manner of Finagle's RetryBudget and Envoy's retry budgets:
/// retries may be <see cref="ExternalApiOptions.RetryBudgetRatio"/> of the calls of the last
/// <see cref="ExternalApiOptions.RetryBudgetWindow"/>, plus a reserve of
/// <see cref="ExternalApiOptions.RetryBudgetMinPerSecond"/> a second (at most one second's worth saved up).
/// When the external API fails broadly, retries add about the ratio to its load instead of tripling it; a failure
/// now and then, a caller sending one request at a time and the breaker's probe still get every retry.
/// </summary>
/// <remarks>
/// Counted per route of the external API, so that a failing route does not spend the retries a healthy route's
/// traffic earned. Unlike a token bucket refilled only by successes (gRPC's retry throttling), the reserve refills
/// with time, so a probe after a long failure streak still gets its retries.
/// </remarks>
internal sealed class RetryBudget(IOptions<ExternalApiOptions> options, TimeProvider timeProvider)
{
    private readonly ExternalApiOptions _options = options.Value;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ConcurrentDictionary<string, RouteRetryBudget> _routes = new(StringComparer.Ordinal);

    /// <summary>Counts a call's first attempt: it earns retries.</summary>
    public void RecordCall(string route) => For(route).RecordCall();

    /// <summary>Takes one retry from the budget; false when the budget is spent.</summary>
    public bool TryRetry(string route) => For(route).TryRetry();

    private RouteRetryBudget For(string route) =>
        _routes.GetOrAdd(route, static (_, self) => new RouteRetryBudget(
            self._options.RetryBudgetRatio,
            self._options.RetryBudgetMinPerSecond,
            self._options.RetryBudgetWindow,
            self._timeProvider), this);
}
