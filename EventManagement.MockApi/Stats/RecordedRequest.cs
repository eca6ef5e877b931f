namespace EventManagement.MockApi.Stats;

/// <summary>One request as the MockApi received it, for GET /__admin/requests.</summary>
/// <param name="Time">When it arrived (the MockApi's clock).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query string.</param>
/// <param name="TraceParent">Its W3C <c>traceparent</c> header, or null when it had none.</param>
internal sealed record RecordedRequest(DateTimeOffset Time, string Method, string Path, string? TraceParent);
