using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventManagement.MockApi.Options;
using EventManagement.MockApi.Serialization;
using Microsoft.Extensions.Options;

namespace EventManagement.MockApi.Data;

/// <summary>Reads users.json and events.json from <see cref="MockApiOptions.DataDirectory"/>.</summary>
/// <remarks>
/// The files are read again on every reset, so that a benchmark can swap in generated data without a restart.
/// A broken file fails the whole read, before the store is touched.
/// </remarks>
internal sealed class SeedDataReader(IOptions<MockApiOptions> options)
{
    /// <summary>The name of the users file in the data directory.</summary>
    public const string UsersFileName = "users.json";

    /// <summary>The name of the events file in the data directory.</summary>
    public const string EventsFileName = "events.json";

    /// <summary>Reads and checks both files.</summary>
    /// <exception cref="InvalidDataException">A file is missing, unreadable or inconsistent.</exception>
    public async Task<SeedData> ReadAsync(CancellationToken cancellationToken)
    {
        var directory = options.Value.ResolveDataDirectory();
        var users = await ReadListAsync(
            Path.Combine(directory, UsersFileName), MockJsonContext.Default.ListMockUser, cancellationToken);
        var events = await ReadListAsync(
            Path.Combine(directory, EventsFileName), MockJsonContext.Default.ListMockEvent, cancellationToken);
        var seed = new SeedData(
            [.. users.Select(user => user with { Events = user.Events ?? [] })],
            events);
        SeedDataChecks.ThrowIfInconsistent(seed);
        return seed;
    }

    private static async Task<List<T>> ReadListAsync<T>(
        string path, JsonTypeInfo<List<T>> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            var items = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken);
            if (items is null || items.Any(item => item is null))
            {
                throw new InvalidDataException($"{path} must hold a JSON array of objects.");
            }

            return items;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"Cannot read seed data from {path}: {ex.Message}", ex);
        }
    }
}
