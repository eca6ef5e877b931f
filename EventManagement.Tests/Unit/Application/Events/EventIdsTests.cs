using EventManagement.Application.Events;

namespace EventManagement.Tests.Unit.Application.Events;

[TestFixture]
public sealed class EventIdsTests
{
    private const string IdPattern = "^[A-Za-z0-9_-]{1,64}$";
    private const string Fingerprint = "0123456789abcdef0123456789abcdef";

    [Test]
    public void New_CalledTenThousandTimes_GivesUniqueIdsThatMatchTheIdPattern()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => EventIds.New()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Has.All.Match(IdPattern));
        });
    }

    [Test]
    public void FromIdempotencyKey_SameUserAndKey_GivesTheSameId()
    {
        var first = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);
        var repeat = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);

        Assert.That(repeat, Is.EqualTo(first));
    }

    [Test]
    public void FromIdempotencyKey_SameKeyForDifferentUsers_GivesDifferentIds()
    {
        var forUser3 = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);
        var forUser4 = EventIds.FromIdempotencyKey("4", "order-42", Fingerprint);

        Assert.That(forUser4, Is.Not.EqualTo(forUser3));
    }

    [Test]
    public void FromIdempotencyKey_DifferentKeys_GiveDifferentIds()
    {
        var first = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);
        var second = EventIds.FromIdempotencyKey("3", "order-43", Fingerprint);

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void FromIdempotencyKey_WhenCharactersMoveFromUserToKey_GivesDifferentIds()
    {
        // A plain concatenation would make ("1", "2k") and ("12", "k") the same request.
        var first = EventIds.FromIdempotencyKey("1", "2k", Fingerprint);
        var second = EventIds.FromIdempotencyKey("12", "k", Fingerprint);

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void FromIdempotencyKey_SameUserAndKeyWithAnotherRequest_GivesAnotherId()
    {
        // Without its record, a key reused for another body must make another event, not "replay" one never stored.
        var first = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);
        var other = EventIds.FromIdempotencyKey("3", "order-42", "fedcba9876543210fedcba9876543210");

        Assert.That(other, Is.Not.EqualTo(first));
    }

    [TestCase("1", "k")]
    [TestCase("user_with-64-characters-0123456789012345678901234567890123456789", "~!@#$%^&*()_+{}|:<>?`-=[]\\;',./")]
    public void FromIdempotencyKey_AnyValidUserAndKey_MatchesTheIdPattern(string userId, string key) =>
        Assert.That(EventIds.FromIdempotencyKey(userId, key, Fingerprint), Does.Match(IdPattern));

    [Test]
    public void FromIdempotencyKey_AndNew_NeverGiveTheSameId()
    {
        var derived = EventIds.FromIdempotencyKey("3", "order-42", Fingerprint);

        Assert.That(Enumerable.Range(0, 1_000).Select(_ => EventIds.New()), Has.None.EqualTo(derived));
    }
}
