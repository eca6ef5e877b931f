namespace EventManagement.Api.Security;

/// <summary>
/// Headers that stop browsers from sniffing, framing or leaking what the Api sends. Set when the response starts,
/// so that error responses (whose headers the exception handler clears) carry them too.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var httpContext = (HttpContext)state;
            var headers = httpContext.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!httpContext.Request.Path.StartsWithSegments("/swagger"))
            {
                // Swagger UI needs its own scripts and styles; every other answer is data, never a page.
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
