using EventManagement.Api.Validation;

namespace EventManagement.Tests.Unit.Api;

[TestFixture]
public sealed class IdempotencyKeyHeaderTests
{
    [TestCase("order-42", "order-42")]
    [TestCase("\"order-42\"", "order-42")]
    [TestCase("\"two words\"", "two words")]
    [TestCase("\"a\\\"b\\\\c\"", "a\"b\\c")]
    public void TryParse_BareOrQuoted_GivesTheKey(string header, string expected)
    {
        Assert.That(IdempotencyKeyHeader.TryParse(header, out var key), Is.True);
        Assert.That(key, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("\"unterminated")]
    [TestCase("\"\"")]
    [TestCase("\"bad\\nescape\"")]
    [TestCase("\"inner\"quote\"")]
    [TestCase("\"tab\there\"")]
    public void TryParse_Malformed_IsFalse(string header) =>
        Assert.That(IdempotencyKeyHeader.TryParse(header, out _), Is.False);

    [Test]
    public void TryParse_LongerThan200Characters_IsFalseInEitherForm()
    {
        var key = new string('k', 201);

        Assert.That(IdempotencyKeyHeader.TryParse(key, out _), Is.False);
        Assert.That(IdempotencyKeyHeader.TryParse("\"" + key + "\"", out _), Is.False);
    }
}
