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

    /// <summary>Two requests that differ in one part (user, key, or the request's fingerprint) are two events.</summary>
    [TestCase("3", "order-42", Fingerprint, "4", "order-42", Fingerprint, TestName = "{m}(the same key for another user)")]
    [TestCase("3", "order-42", Fingerprint, "3", "order-43", Fingerprint, TestName = "{m}(another key)")]
    // A plain concatenation would make ("1", "2k") and ("12", "k") the same request.
    [TestCase("1", "2k", Fingerprint, "12", "k", Fingerprint, TestName = "{m}(characters moved from the user to the key)")]
    // Without its record, a key reused for another body must make another event, not "replay" one never stored.
    [TestCase("3", "order-42", Fingerprint, "3", "order-42", "fedcba9876543210fedcba9876543210", TestName = "{m}(the same user and key with another request)")]
    public void FromIdempotencyKey_WhenAnyPartDiffers_GivesAnotherId(string user, string key, string fingerprint, string otherUser, string otherKey, string otherFingerprint) =>
        Assert.That(
            EventIds.FromIdempotencyKey(otherUser, otherKey, otherFingerprint),
            Is.Not.EqualTo(EventIds.FromIdempotencyKey(user, key, fingerprint)));

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
