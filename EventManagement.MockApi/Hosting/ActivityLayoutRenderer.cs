using System.Diagnostics;
using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace EventManagement.MockApi.Hosting;

/// <summary>
/// <c>${activity:property=TraceId}</c> for the shared nlog.config's JSON layout.
/// </summary>
/// <remarks>
/// nlog.config uses <c>${activity}</c>, which comes from the NLog.DiagnosticSource package; the solution does not
/// reference it, and without the renderer NLog refuses the whole file (throwConfigExceptions). This covers the
/// properties a trace id needs. Not thread-agnostic on purpose: NLog then renders it on the logging thread,
/// where <see cref="Activity.Current"/> is the request's, before the async target takes over.
/// </remarks>
[LayoutRenderer(Name)]
internal sealed class ActivityLayoutRenderer : LayoutRenderer
{
    /// <summary>The renderer's name in layouts.</summary>
    public const string Name = "activity";

    /// <summary>TraceId, SpanId, ParentId or Id (the default).</summary>
    public string Property { get; set; } = "Id";

    /// <inheritdoc />
    protected override void Append(StringBuilder builder, LogEventInfo logEvent)
    {
        if (Activity.Current is not { } activity)
        {
            return;
        }

        builder.Append(Property.ToUpperInvariant() switch
        {
            "TRACEID" => activity.TraceId.ToHexString(),
            "SPANID" => activity.SpanId.ToHexString(),
            "PARENTID" => activity.ParentId,
            _ => activity.Id,
        });
    }
}
