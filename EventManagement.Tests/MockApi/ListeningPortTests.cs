using EventManagement.MockApi.Hosting;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class ListeningPortTests
{
    [TestCase(null, 3001)]
    [TestCase("", 3001)]
    [TestCase("0", 0)]
    [TestCase("1", 1)]
    [TestCase("3001", 3001)]
    [TestCase(" 8080 ", 8080)]
    [TestCase("65535", 65535)]
    public void TryParse_ValidOrUnset_GivesThePort(string? value, int expected)
    {
        var parsed = ListeningPort.TryParse(value, out var port, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.True);
            Assert.That(port, Is.EqualTo(expected));
            Assert.That(error, Is.Null);
        }
    }

    [TestCase("65536")]
    [TestCase("-1")]
    [TestCase("+80")]
    [TestCase("80.5")]
    [TestCase("http")]
    public void TryParse_NotAPort_FailsWithAMessageNamingPort(string value)
    {
        var parsed = ListeningPort.TryParse(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(error, Is.EqualTo($"PORT must be a whole number from 0 to 65535; got '{value}'"));
        }
    }
}
