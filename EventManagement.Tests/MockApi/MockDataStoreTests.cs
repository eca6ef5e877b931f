using EventManagement.MockApi.Data;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockDataStoreTests
{
    private static readonly SeedData Seed = new(
        [new MockUser("1", "user1", "hello@gmail.com", ["event-1"]), new MockUser("2", "user2", "hello2@gmail.com", [])],
        [new MockEvent("event-1", "Event 1", "1", "First")]);

    private MockDataStore _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = new MockDataStore();
        _store.Replace(Seed);
    }

    [Test]
    public void TryAdd_NewEvent_StoresItAndAppendsItToTheUsersList()
    {
        var outcome = _store.TryAdd(new MockEvent("event-2", "Event 2", "1", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(AddEventOutcome.Added));
            Assert.That(_store.FindEvent("event-2"), Is.EqualTo(new MockEvent("event-2", "Event 2", "1", null)));
            Assert.That(_store.FindUser("1")!.Events, Is.EqualTo(new[] { "event-1", "event-2" }));
            Assert.That(_store.GetEvents().Select(e => e.Id), Is.EqualTo(new[] { "event-1", "event-2" }));
        }
    }

    [Test]
    public void TryAdd_StoredId_ReturnsAlreadyStoredAndChangesNothing()
    {
        var outcome = _store.TryAdd(new MockEvent("event-1", "Other", "2", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(AddEventOutcome.AlreadyStored));
            Assert.That(_store.FindEvent("event-1")!.Name, Is.EqualTo("Event 1"));
            Assert.That(_store.FindUser("2")!.Events, Is.Empty);
        }
    }

    [Test]
    public void TryAdd_UnknownUser_ReturnsUnknownUserAndStoresNothing()
    {
        var outcome = _store.TryAdd(new MockEvent("event-2", "Event 2", "9", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(AddEventOutcome.UnknownUser));
            Assert.That(_store.FindEvent("event-2"), Is.Null);
        }
    }

    [Test]
    public void GetUsers_BeforeAnAdd_IsASnapshotTheAddDoesNotChange()
    {
        var before = _store.GetUsers();

        _store.TryAdd(new MockEvent("event-2", "Event 2", "2", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before[1].Events, Is.Empty);
            Assert.That(_store.GetUsers()[1].Events, Is.EqualTo(new[] { "event-2" }));
        }
    }

    [Test]
    public void Replace_AfterAdds_StartsAgainFromTheSeed()
    {
        _store.TryAdd(new MockEvent("event-2", "Event 2", "2", null));

        _store.Replace(Seed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.FindEvent("event-2"), Is.Null);
            Assert.That(_store.GetUsers(), Is.EqualTo(Seed.Users).Using<MockUser>(SameUser));
        }
    }

    [Test]
    public void FindUser_IdInAnotherCase_IsNotFound()
    {
        Assert.That(_store.FindUser("USER1"), Is.Null);
    }

    private static bool SameUser(MockUser left, MockUser right) =>
        left.Id == right.Id && left.UserName == right.UserName && left.Events.SequenceEqual(right.Events);
}
