using EventManagement.Application.Overload;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Hosting;

/// <summary>
/// The shutdown timeout must cover the drain delay plus one whole request deadline, or a request accepted at the
/// end of the drain could be cut off by the shutdown instead of ending within its deadline.
/// </summary>
public sealed class ShutdownOptionsValidator(IOptions<RequestOptions> requests) : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var deadline = requests.Value.Timeout;
        return options.Timeout >= options.DrainDelay + deadline
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Shutdown:Timeout ({options.Timeout:c}) must be at least Shutdown:DrainDelay ({options.DrainDelay:c}) "
                + $"+ Requests:Timeout ({deadline:c}), so that a request accepted during the drain can finish within its deadline.");
    }
}
