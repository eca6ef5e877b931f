namespace EventManagement.Api.Hosting;

/// <summary>
/// While the Api drains after SIGTERM, every answer says <c>Connection: close</c>. A proxy (nginx) then stops reusing
/// its kept-alive connections to this replica during the drain, instead of sending a request down one of them at the
/// moment the server closes it; new connections are still accepted until the drain ends, and are refused after,
/// which nginx answers by trying the next replica (a refused request never reached this one).
/// </summary>
public sealed class DrainingConnectionCloseMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (lifetime.ApplicationStopping.IsCancellationRequested && HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            // Set when the answer starts: the exception handler clears the headers of an error answer.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.Connection = "close";
                return Task.CompletedTask;
            }, context.Response);
        }

        return next(context);
    }
}
