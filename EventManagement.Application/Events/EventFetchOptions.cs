using System.ComponentModel.DataAnnotations;

namespace EventManagement.Application.Events;

/// <summary>How GET /getEventsByUserId fetches and caches event details (section <c>EventFetch</c>).</summary>
public sealed class EventFetchOptions
{
    public const string SectionName = "EventFetch";

    /// <summary>
    /// Event lookups one request has started at once (waiting for the call budget or in flight). The budget of
    /// calls in flight for the whole process is <c>ExternalApi:MaxConcurrentCalls</c>, shared fairly between
    /// requests; this caps one request's share of the queue. The default lets a 500-event user ask for all its
    /// events at once, so that it takes one round when the budget is free.
    /// </summary>
    [Range(1, 4096, ErrorMessage = "EventFetch:MaxConcurrency must be a whole number from 1 to 4096.")]
    public int MaxConcurrency { get; set; } = 512;

    /// <summary>How long event details stay cached. Events do not change once created.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "EventFetch:CacheDuration must be a duration from 0 to 30 days (0 turns the cache off).")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The most memory, in bytes of serialized JSON, that cached events may take.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "EventFetch:CacheSizeLimitBytes must be at least 1024.")]
    public long CacheSizeLimitBytes { get; set; } = 64L * 1024 * 1024;
}
