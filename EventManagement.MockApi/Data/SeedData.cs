namespace EventManagement.MockApi.Data;

/// <summary>The users and events the store starts from (read from users.json and events.json).</summary>
/// <param name="Users">The users, in file order.</param>
/// <param name="Events">The events, in file order.</param>
internal sealed record SeedData(IReadOnlyList<MockUser> Users, IReadOnlyList<MockEvent> Events);
