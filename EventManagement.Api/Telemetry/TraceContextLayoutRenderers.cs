using System.Diagnostics;
using NLog;
using NLog.Config;

namespace EventManagement.Api.Telemetry;

/// <summary>
/// <c>${trace-id}</c> and <c>${span-id}</c> for nlog.config: the current Activity's W3C ids, empty outside a request.
/// </summary>
/// <remarks>
/// NLog.DiagnosticSource (which has <c>${activity}</c>) is not among the packages served here, so these two read
/// <see cref="Activity.Current"/> themselves. They are not thread-agnostic, so the asynchronous targets render them
/// on the thread that writes the line, in the request's context, without capturing any logging scope.
/// </remarks>
public static class TraceContextLayoutRenderers
{
    public static ISetupExtensionsBuilder RegisterTraceContext(this ISetupExtensionsBuilder extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        return extensions
            .RegisterLayoutRenderer("trace-id", static _ => Activity.Current?.TraceId.ToHexString() ?? string.Empty)
            .RegisterLayoutRenderer("span-id", static _ => Activity.Current?.SpanId.ToHexString() ?? string.Empty);
    }
}
