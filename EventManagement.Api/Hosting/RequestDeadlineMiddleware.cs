using EventManagement.Application.Common;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Hosting;

/// <summary>
/// Gives every request its deadline (<c>Requests:Timeout</c>): the request's cancellation token (what controllers
/// receive) is cancelled at the deadline as well as when the client goes away, so every upstream call, queued or
/// running, is cancelled with it. A request cut off by its deadline ends as a timeout of the external API (504),
/// not as an abort: the client is still there and gets its answer, and the request log shows 504, not 499.
/// </summary>
public sealed class RequestDeadlineMiddleware(
    RequestDelegate next,
    IOptions<RequestOptions> options,
    TimeProvider timeProvider,
    OverloadMetrics metrics)
{
    private readonly TimeSpan _timeout = options.Value.Timeout;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientAborted = context.RequestAborted;
        using var deadline = new RequestDeadline(_timeout, timeProvider, clientAborted);
        context.RequestAborted = deadline.Token;
        RequestDeadline.Current = deadline;
        try
        {
            await next(context);
        }
        catch (Exception exception) when (deadline.HasExpired && !clientAborted.IsCancellationRequested)
        {
            metrics.RecordDeadlineExceeded();
            if (exception is UpstreamException { Kind: UpstreamFailureKind.TimedOut })
            {
                throw;
            }

            throw new UpstreamException(
                UpstreamFailureKind.TimedOut,
                $"The request's deadline of {_timeout.TotalSeconds:0.#} s passed before the external events API answered.",
                exception);
        }
        finally
        {
            // The log line and the exception handler must see the client's own token: 499 means the client left.
            context.RequestAborted = clientAborted;
            RequestDeadline.Current = null;
        }
    }
}
