namespace EventManagement.Tests.MockApi;

/// <summary>The seed of SPEC §2 as JSON, to compare answers against.</summary>
public static class SeedJson
{
    public const string User1 =
        """{ "id": "1", "userName": "user1", "email": "hello@gmail.com", "events": ["event-1", "event-3"] }""";

    public const string User2 = """{ "id": "2", "userName": "user2", "email": "hello2@gmail.com", "events": ["event-2"] }""";

    public const string User3 = """{ "id": "3", "userName": "user3", "email": "hello3@gmail.com", "events": ["event-4"] }""";

    public const string Users = $"[{User1}, {User2}, {User3}]";

    public const string Event1 =
        """{ "id": "event-1", "name": "Event 1", "userId": "1", "details": "This is the first event" }""";

    public const string Event2 =
        """{ "id": "event-2", "name": "Event 2", "userId": "2", "details": "This is the second event" }""";

    public const string Event3 =
        """{ "id": "event-3", "name": "Event 3", "userId": "1", "details": "This is the third event" }""";

    public const string Event4 =
        """{ "id": "event-4", "name": "Event 4", "userId": "3", "details": "This is the fourth event" }""";

    public const string Events = $"[{Event1}, {Event2}, {Event3}, {Event4}]";
}
