namespace EventManagement.Application.Common;

/// <summary>How a call to the external API failed, after its retries.</summary>
public enum UpstreamFailureKind
{
    /// <summary>Refused or dropped connections, or the API kept answering 503 or 429: try again later.</summary>
    Unavailable,

    /// <summary>The API did not answer in time.</summary>
    TimedOut,

    /// <summary>The API answered something unusable: another 5xx, or a body that does not parse.</summary>
    BadResponse,
}
