using System.Net;
using System.Text.Json;
using EventManagement.Application.Common;
using Polly.Timeout;

namespace EventManagement.Infrastructure.ExternalApi;

/// <summary>Sorts what the external API (or the road to it) did wrong into the three kinds clients see.</summary>
internal static class UpstreamFailures
{
    /// <summary>The kind for a final status code that is not an answer we can use.</summary>
    public static UpstreamFailureKind FromStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests => UpstreamFailureKind.Unavailable,
        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => UpstreamFailureKind.TimedOut,
        _ => UpstreamFailureKind.BadResponse,
    };

    /// <summary>
    /// The kind for an exception thrown while calling the API, looking through wrappers (Refit wraps transport
    /// errors in its own exception types). False for anything that is not a failure of the API.
    /// </summary>
    public static bool TryClassify(Exception exception, out UpstreamFailureKind kind)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // TimeoutException: SocketsHttpHandler's ConnectTimeout throws an OperationCanceledException that the
                // caller did not ask for, with a TimeoutException inside (the caller's own cancellation never gets here).
                case TimeoutRejectedException:
                case TimeoutException:
                    kind = UpstreamFailureKind.TimedOut;
                    return true;
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse }:
                case JsonException:
                    kind = UpstreamFailureKind.BadResponse;
                    return true;
                case HttpRequestException:
                    kind = UpstreamFailureKind.Unavailable;
                    return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The short word used in logs and metrics for an outcome.</summary>
    public static string OutcomeName(UpstreamFailureKind kind) => kind switch
    {
        UpstreamFailureKind.Unavailable => "unavailable",
        UpstreamFailureKind.TimedOut => "timeout",
        _ => "bad_response",
    };
}
