namespace EventManagement.Api.ErrorHandling;

/// <summary>
/// The short <c>message</c> every problem response carries, so that clients of the original service keep working.
/// </summary>
public static class ProblemMessages
{
    /// <summary>POST /addEvent: the external API kept failing through the retries.</summary>
    public const string ServiceBusy = "service busy";

    /// <summary>POST /addEvent: the circuit breaker is open.</summary>
    public const string ServiceDown = "service down, try later";

    /// <summary>POST /addEvent: the first request with the same Idempotency-Key is still in flight.</summary>
    public const string RequestInProgress = "request in progress";

    /// <summary>POST /addEvent: the Idempotency-Key was used with a different request.</summary>
    public const string IdempotencyKeyReused = "idempotency key reused";

    /// <summary>The message for a status when nothing more specific was set.</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid request",
        StatusCodes.Status401Unauthorized => "missing or invalid API key",
        StatusCodes.Status404NotFound => "not found",
        StatusCodes.Status405MethodNotAllowed => "method not allowed",
        StatusCodes.Status413PayloadTooLarge => "request body too large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported media type",
        StatusCodes.Status429TooManyRequests => "too many requests",
        StatusCodes.Status502BadGateway => "bad answer from the events API",
        StatusCodes.Status503ServiceUnavailable => ServiceBusy,
        StatusCodes.Status504GatewayTimeout => "events API timed out",
        _ when status >= 500 => "internal error",
        _ => "request failed",
    };

    /// <summary>A one-sentence detail for a status when nothing more specific was set.</summary>
    public static string DetailForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => "This route needs a valid X-Api-Key header.",
        StatusCodes.Status404NotFound => "No route or resource matches the request.",
        StatusCodes.Status405MethodNotAllowed => "The route does not accept this HTTP method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 64 KiB.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON (Content-Type: application/json).",
        StatusCodes.Status429TooManyRequests => "Too many requests from this client; wait for the time in Retry-After.",
        _ when status >= 500 => "The server could not complete the request.",
        _ => "The request failed.",
    };
}
