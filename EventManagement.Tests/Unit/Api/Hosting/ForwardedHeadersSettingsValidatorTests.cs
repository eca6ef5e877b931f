using EventManagement.Api.Hosting;

namespace EventManagement.Tests.Unit.Api.Hosting;

/// <summary>ForwardedHeaders:KnownProxies takes IP addresses and CIDR networks; anything else is refused by name.</summary>
public sealed class ForwardedHeadersSettingsValidatorTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("127.0.0.1")]
    [TestCase(" 127.0.0.1 , ::1,10.0.0.0/8 ")]
    public void Validate_AddressesAndNetworks_Succeeds(string? knownProxies)
    {
        var result = new ForwardedHeadersSettingsValidator().Validate(null, new ForwardedHeadersSettings { KnownProxies = knownProxies });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase("127.0.0.1, nginx", "nginx")]
    [TestCase("10.0.0.0/33", "10.0.0.0/33")]
    [TestCase("127.0.0.1:8080", "127.0.0.1:8080")]
    public void Validate_SomethingElse_FailsNamingTheSettingAndTheEntry(string knownProxies, string named)
    {
        var result = new ForwardedHeadersSettingsValidator().Validate(null, new ForwardedHeadersSettings { KnownProxies = knownProxies });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("ForwardedHeaders:KnownProxies").And.Contain($"'{named}'"));
    }

    [Test]
    public void Entries_SplitAddressesFromNetworks()
    {
        var settings = new ForwardedHeadersSettings { KnownProxies = "127.0.0.1, 10.0.0.0/8,, ::1" };

        Assert.That(settings.Addresses.Select(static address => address.ToString()), Is.EqualTo(new[] { "127.0.0.1", "::1" }));
        Assert.That(settings.Networks.Select(static network => network.ToString()), Is.EqualTo(new[] { "10.0.0.0/8" }));
    }
}
