using System.Net;

namespace EventManagement.Api.Hosting;

/// <summary>
/// The proxies in front of the Api (section <c>ForwardedHeaders</c>). Their X-Forwarded-For is believed, nobody
/// else's: empty (the default) means the Api faces its clients directly and reads no forwarded header at all.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Comma-separated IP addresses (or CIDR networks such as <c>10.0.0.0/8</c>) of the trusted proxies.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>The entries of <see cref="KnownProxies"/>, trimmed, empty ones dropped.</summary>
    public IReadOnlyList<string> Entries =>
        (KnownProxies ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The addresses among <see cref="Entries"/>.</summary>
    public IEnumerable<IPAddress> Addresses => Entries.Where(static entry => !entry.Contains('/', StringComparison.Ordinal)).Select(IPAddress.Parse);

    /// <summary>The networks among <see cref="Entries"/>.</summary>
    public IEnumerable<IPNetwork> Networks => Entries.Where(static entry => entry.Contains('/', StringComparison.Ordinal)).Select(static entry => IPNetwork.Parse(entry));

    /// <summary>The first entry that is neither an IP address nor a CIDR network, or null when all are.</summary>
    public string? FirstInvalidEntry => Entries.FirstOrDefault(static entry => entry.Contains('/', StringComparison.Ordinal)
        ? !IPNetwork.TryParse(entry, out _)
        : !IPAddress.TryParse(entry, out _));
}
