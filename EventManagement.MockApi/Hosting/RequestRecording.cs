using EventManagement.MockApi.Stats;

namespace EventManagement.MockApi.Hosting;

/// <summary>Records every request to the external API's routes (not the admin routes, not /healthz) as it arrives.</summary>
internal static class RequestRecording
{
    public static WebApplication UseRequestRecording(this WebApplication app)
    {
        var recent = app.Services.GetRequiredService<RecentRequests>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (!path.StartsWithSegments("/__admin") && !path.StartsWithSegments("/healthz"))
            {
                var traceParent = context.Request.Headers.TraceParent;
                recent.Record(new RecordedRequest(
                    clock.GetUtcNow(),
                    context.Request.Method,
                    path.Value + context.Request.QueryString.Value,
                    traceParent.Count == 0 ? null : traceParent.ToString()));
            }

            return next(context);
        });
        return app;
    }
}
