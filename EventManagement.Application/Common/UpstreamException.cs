namespace EventManagement.Application.Common;

/// <summary>The external API failed a call and the retries did not help.</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(UpstreamFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>How the call failed; decides the status code the client sees (503, 504 or 502).</summary>
    public UpstreamFailureKind Kind { get; }
}
