namespace EventManagement.MockApi.Data;

/// <summary>The in-memory users and events, shared by all requests.</summary>
/// <remarks>
/// One lock guards everything; it is never held across an await. Users and events are immutable records,
/// so readers get consistent copies: the lists handed out are snapshots that later writes do not touch.
/// The snapshots are cached until the next write, so that GET /getUsers under load does not copy on every call.
/// </remarks>
internal sealed class MockDataStore
{
    private readonly Lock _lock = new();
    private readonly List<MockUser> _users = [];
    private readonly Dictionary<string, int> _userIndexById = new(StringComparer.Ordinal);
    private readonly List<MockEvent> _events = [];
    private readonly Dictionary<string, MockEvent> _eventsById = new(StringComparer.Ordinal);
    private MockUser[]? _usersSnapshot;
    private MockEvent[]? _eventsSnapshot;

    /// <summary>Drops everything and starts again from <paramref name="seed"/>.</summary>
    public void Replace(SeedData seed)
    {
        lock (_lock)
        {
            _users.Clear();
            _userIndexById.Clear();
            _events.Clear();
            _eventsById.Clear();
            foreach (var user in seed.Users)
            {
                _userIndexById[user.Id] = _users.Count;
                _users.Add(user with { Events = [.. user.Events] });
            }

            foreach (var mockEvent in seed.Events)
            {
                _eventsById[mockEvent.Id] = mockEvent;
                _events.Add(mockEvent);
            }

            _usersSnapshot = null;
            _eventsSnapshot = null;
        }
    }

    /// <summary>All users, in seed order.</summary>
    public IReadOnlyList<MockUser> GetUsers()
    {
        lock (_lock)
        {
            return _usersSnapshot ??= [.. _users];
        }
    }

    /// <summary>All events, in insertion order.</summary>
    public IReadOnlyList<MockEvent> GetEvents()
    {
        lock (_lock)
        {
            return _eventsSnapshot ??= [.. _events];
        }
    }

    /// <summary>The user with that id, or null.</summary>
    public MockUser? FindUser(string id)
    {
        lock (_lock)
        {
            return _userIndexById.TryGetValue(id, out var index) ? _users[index] : null;
        }
    }

    /// <summary>The event with that id, or null.</summary>
    public MockEvent? FindEvent(string id)
    {
        lock (_lock)
        {
            return _eventsById.GetValueOrDefault(id);
        }
    }

    /// <summary>Stores the event and appends its id to its user's list, unless the id is already stored.</summary>
    public AddEventOutcome TryAdd(MockEvent mockEvent)
    {
        lock (_lock)
        {
            if (_eventsById.ContainsKey(mockEvent.Id))
            {
                return AddEventOutcome.AlreadyStored;
            }

            if (!_userIndexById.TryGetValue(mockEvent.UserId, out var index))
            {
                return AddEventOutcome.UnknownUser;
            }

            _eventsById.Add(mockEvent.Id, mockEvent);
            _events.Add(mockEvent);
            var user = _users[index];
            _users[index] = user with { Events = [.. user.Events, mockEvent.Id] };
            _usersSnapshot = null;
            _eventsSnapshot = null;
            return AddEventOutcome.Added;
        }
    }
}
