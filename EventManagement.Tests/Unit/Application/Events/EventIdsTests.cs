using EventManagement.Application.Events;

namespace EventManagement.Tests.Unit.Application.Events;

[TestFixture]
public sealed class EventIdsTests
{
    private const string IdPattern = "^[A-Za-z0-9_-]{1,64}$";

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
        var first = EventIds.FromIdempotencyKey("3", "order-42");
        var repeat = EventIds.FromIdempotencyKey("3", "order-42");

        Assert.That(repeat, Is.EqualTo(first));
    }

    [Test]
    public void FromIdempotencyKey_SameKeyForDifferentUsers_GivesDifferentIds()
    {
        var forUser3 = EventIds.FromIdempotencyKey("3", "order-42");
        var forUser4 = EventIds.FromIdempotencyKey("4", "order-42");

        Assert.That(forUser4, Is.Not.EqualTo(forUser3));
    }

    [Test]
    public void FromIdempotencyKey_DifferentKeys_GiveDifferentIds()
    {
        var first = EventIds.FromIdempotencyKey("3", "order-42");
        var second = EventIds.FromIdempotencyKey("3", "order-43");

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void FromIdempotencyKey_WhenCharactersMoveFromUserToKey_GivesDifferentIds()
    {
        // A plain concatenation would make ("1", "2k") and ("12", "k") the same request.
        var first = EventIds.FromIdempotencyKey("1", "2k");
        var second = EventIds.FromIdempotencyKey("12", "k");

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [TestCase("1", "k")]
    [TestCase("user_with-64-characters-0123456789012345678901234567890123456789", "~!@#$%^&*()_+{}|:<>?`-=[]\\;',./")]
    public void FromIdempotencyKey_AnyValidUserAndKey_MatchesTheIdPattern(string userId, string key) =>
        Assert.That(EventIds.FromIdempotencyKey(userId, key), Does.Match(IdPattern));

    [Test]
    public void FromIdempotencyKey_AndNew_NeverGiveTheSameId()
    {
        var derived = EventIds.FromIdempotencyKey("3", "order-42");

        Assert.That(Enumerable.Range(0, 1_000).Select(_ => EventIds.New()), Has.None.EqualTo(derived));
    }
}
