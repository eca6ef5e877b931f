using System.ComponentModel.DataAnnotations;

namespace EventManagement.Application.Overload;

/// <summary>Limits of one request to the Api (section <c>Requests</c>).</summary>
public sealed class RequestOptions
{
    public const string SectionName = "Requests";

    /// <summary>
    /// The deadline of every request: it bounds everything the request does, waiting for the external API included.
    /// Past it the request ends with 504 and its queued and running calls are cancelled.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Requests:Timeout must be a duration from 100 ms to 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first guess of how long one event lookup takes, used by early refusal until lookups have been timed
    /// (the external API documents 500 ms). Replaced by a moving average of the lookups observed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Requests:ExpectedLookupLatency must be a duration from 1 ms to 1 minute.")]
    public TimeSpan ExpectedLookupLatency { get; set; } = TimeSpan.FromMilliseconds(500);
}
