using Microsoft.Extensions.Options;

namespace EventManagement.Api.Hosting;

/// <summary>Refuses a <c>ForwardedHeaders:KnownProxies</c> entry that is neither an IP address nor a CIDR network, naming it.</summary>
public sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FirstInvalidEntry is { } invalid
            ? ValidateOptionsResult.Fail(
                $"{ForwardedHeadersSettings.SectionName}:KnownProxies must be comma-separated IP addresses or CIDR networks; '{invalid}' is neither.")
            : ValidateOptionsResult.Success;
    }
}
