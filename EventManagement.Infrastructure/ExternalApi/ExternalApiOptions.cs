using System.ComponentModel.DataAnnotations;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>How the Api reaches the external events API (section <c>ExternalApi</c>).</summary>
public sealed class ExternalApiOptions : IValidatableObject
{
    public const string SectionName = "ExternalApi";

    /// <summary>The API's base URL. The environment variable <c>EXTERNAL_API_BASE_URL</c> overrides it.</summary>
    public string BaseUrl { get; set; } = "http://localhost:3001";

    /// <summary>The longest one attempt may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "ExternalApi:AttemptTimeout must be a duration from 10 ms to 10 minutes.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest one call may take, all attempts and waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "ExternalApi:TotalTimeout must be a duration from 10 ms to 10 minutes.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, on transient failures only.</summary>
    [Range(0, 10, ErrorMessage = "ExternalApi:MaxRetries must be a whole number from 0 to 10.")]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's median wait; later waits grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "ExternalApi:RetryBaseDelay must be a duration from 0 to 1 minute.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Connections kept open to the API at most; sized for the event fan-out.</summary>
    [Range(1, 65_535, ErrorMessage = "ExternalApi:MaxConnectionsPerServer must be a whole number from 1 to 65535.")]
    public int MaxConnectionsPerServer { get; set; } = 512;

    /// <summary>
    /// Calls in flight to the API at most, for the whole process and every route (the call budget). Waiting for a
    /// slot counts only against the request's deadline, never against a call's timeouts. At most
    /// <see cref="MaxConnectionsPerServer"/>, so that a call with a slot never waits for a connection.
    /// </summary>
    [Range(1, 65_535, ErrorMessage = "ExternalApi:MaxConcurrentCalls must be a whole number from 1 to 65535.")]
    public int MaxConcurrentCalls { get; set; } = 512;

    /// <summary>Calls that may wait for a slot of the budget; beyond, a call is refused with 503 (as Envoy's max pending requests).</summary>
    [Range(0, 10_000_000, ErrorMessage = "ExternalApi:MaxQueuedCalls must be a whole number from 0 to 10000000.")]
    public int MaxQueuedCalls { get; set; } = 100_000;

    /// <summary>Retries may be this share of the calls of the last <see cref="RetryBudgetWindow"/> (per route), beside the reserve.</summary>
    [Range(0.0, 10.0, ErrorMessage = "ExternalApi:RetryBudgetRatio must be a number from 0 to 10.")]
    public double RetryBudgetRatio { get; set; } = 0.2;

    /// <summary>Retries per second (per route) allowed beyond the ratio, so that a caller at a low rate and the breaker's probe keep theirs.</summary>
    [Range(0.0, 10_000.0, ErrorMessage = "ExternalApi:RetryBudgetMinPerSecond must be a number from 0 to 10000.")]
    public double RetryBudgetMinPerSecond { get; set; } = 5;

    /// <summary>How far back the retry budget counts calls and retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "ExternalApi:RetryBudgetWindow must be a duration from 1 s to 10 minutes.")]
    public TimeSpan RetryBudgetWindow { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult(
                $"EXTERNAL_API_BASE_URL (ExternalApi:BaseUrl) must be an absolute http(s) URL; got '{BaseUrl}'.",
                [nameof(BaseUrl)]);
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult(
                "ExternalApi:TotalTimeout must not be shorter than ExternalApi:AttemptTimeout.",
                [nameof(TotalTimeout)]);
        }

        if (MaxConcurrentCalls > MaxConnectionsPerServer)
        {
            yield return new ValidationResult(
                $"ExternalApi:MaxConcurrentCalls ({MaxConcurrentCalls}) must not be more than ExternalApi:MaxConnectionsPerServer ({MaxConnectionsPerServer}): a call with a slot must never wait for a connection.",
                [nameof(MaxConcurrentCalls)]);
        }
    }
}
