using EventManagement.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace EventManagement.Tests.Unit.Api;

/// <summary>The Api's PORT parser; the cases are the MockApi's (<c>MockApi/ListeningPortTests</c>), so the two agree.</summary>
[TestFixture]
public sealed class ListeningPortTests
{
    [TestCase(null, 3000)]
    [TestCase("", 3000)]
    [TestCase("0", 0)]
    [TestCase("1", 1)]
    [TestCase(" 8080 ", 8080)]
    [TestCase("65535", 65535)]
    public void Read_ValidOrUnset_GivesThePort(string? value, int expected)
    {
        Assert.That(ListeningPort.Read(Configuration(value)), Is.EqualTo(expected));
    }

    [TestCase("65536")]
    [TestCase("-1")]
    [TestCase("+80")]
    [TestCase("80.5")]
    [TestCase("http")]
    public void Read_NotAPort_ThrowsAMessageNamingPort(string value)
    {
        Assert.That(
            () => ListeningPort.Read(Configuration(value)),
            Throws.TypeOf<InvalidConfigurationException>().With.Message.EqualTo($"PORT must be a whole number from 0 to 65535; got '{value}'."));
    }

    private static IConfiguration Configuration(string? port) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = port }).Build();
}
