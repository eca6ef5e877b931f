namespace EventManagement.MockApi.Data;

/// <summary>Checks that seed data is usable before it replaces the store's contents.</summary>
/// <remarks>
/// Generated data (benchmarks) goes through here too: a duplicate id or an event of an unknown user would otherwise
/// show up much later as a puzzling answer, so it stops the read with a message that names the record.
/// </remarks>
internal static class SeedDataChecks
{
    /// <summary>Throws when an id is missing or repeated, or an event belongs to an unknown user.</summary>
    /// <exception cref="InvalidDataException">The data is inconsistent.</exception>
    public static void ThrowIfInconsistent(SeedData seed)
    {
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in seed.Users)
        {
            if (string.IsNullOrEmpty(user.Id) || !userIds.Add(user.Id))
            {
                throw new InvalidDataException(
                    $"{SeedDataReader.UsersFileName}: user id '{user.Id}' is missing or repeated.");
            }
        }

        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mockEvent in seed.Events)
        {
            if (string.IsNullOrEmpty(mockEvent.Id) || !eventIds.Add(mockEvent.Id))
            {
                throw new InvalidDataException(
                    $"{SeedDataReader.EventsFileName}: event id '{mockEvent.Id}' is missing or repeated.");
            }

            if (mockEvent.UserId is null || !userIds.Contains(mockEvent.UserId))
            {
                throw new InvalidDataException(
                    $"{SeedDataReader.EventsFileName}: event '{mockEvent.Id}' belongs to unknown user '{mockEvent.UserId}'.");
            }
        }
    }
}
