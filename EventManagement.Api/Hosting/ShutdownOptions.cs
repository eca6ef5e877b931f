using System.ComponentModel.DataAnnotations;

namespace EventManagement.Api.Hosting;

/// <summary>Graceful shutdown (section <c>Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>After SIGTERM, how long /readyz answers 503 while requests are still served, so load balancers notice.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Shutdown:DrainDelay must be a duration from 0 to 10 minutes.")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest the whole shutdown may take, drain included; requests still running then are cut off. At least
    /// <see cref="DrainDelay"/> + <c>Requests:Timeout</c> (checked at start), so every accepted request can finish.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00", ErrorMessage = "Shutdown:Timeout must be a duration from 1 s to 30 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(35);
}
