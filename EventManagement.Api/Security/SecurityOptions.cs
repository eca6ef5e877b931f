using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Security;

/// <summary>Access control for POST /addEvent (section <c>Security</c>). Off by default so the README's curls work.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>When set, POST /addEvent needs this value in the <c>X-Api-Key</c> header. Empty turns the check off.</summary>
    [MaxLength(512, ErrorMessage = "Security:ApiKey must be at most 512 characters.")]
    public string? ApiKey { get; set; }

    /// <summary>POST /addEvent calls allowed per client IP address in each <see cref="RateLimitWindow"/>; 0 turns limiting off.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Security:AddEventRateLimit must be a whole number from 0 (off) to 1000000.")]
    public int AddEventRateLimit { get; set; }

    /// <summary>The fixed window that <see cref="AddEventRateLimit"/> counts in.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Security:RateLimitWindow must be a duration from 1 ms to 1 day.")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);
}
