using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventManagement.Application.Idempotency;

/// <summary>
/// Idempotency-Key as draft-ietf-httpapi-idempotency-key-header describes it, for POST /addEvent: one record per
/// user and key, holding the request's fingerprint and its final answer. A repeat gets the first answer again; the
/// same key with another request is refused (422); the same key while the first is in flight is refused (409).
/// </summary>
/// <remarks>
/// Only final answers are kept (the event added, or its user unknown): a failure of the external API or a breaker
/// refusal releases the key, so that the client's retry is tried again rather than refused for a day. The event id
/// is derived from user, key and fingerprint, so when no record exists (the store is down, the retention is over)
/// a repeat still stores one event upstream, and another request becomes another event, never a 201 for an event
/// that was not stored.
/// </remarks>
public sealed class IdempotencyGuard(IIdempotencyStore store, IOptions<IdempotencyOptions> options, ILogger<IdempotencyGuard> logger)
{
    private readonly IdempotencyOptions _options = options.Value;

    /// <summary>
    /// Adds the event of <paramref name="command"/> (which carries a key) through <paramref name="add"/> at most once
    /// per record, or answers from the record.
    /// </summary>
    /// <exception cref="NotFoundException">The user does not exist (now, or when the key was first used).</exception>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with another request.</exception>
    /// <exception cref="IdempotencyKeyInFlightException">The first request with the key is still in flight.</exception>
    public async Task<EventDto> AddOnceAsync(
        AddEventCommand command, Func<EventDto, CancellationToken, Task<AddEventResult>> add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(add);
        var idempotencyKey = command.IdempotencyKey ?? throw new ArgumentException("The command has no Idempotency-Key.", nameof(command));
        var fingerprint = RequestFingerprint.Of(command);
        var newEvent = new EventDto(
            EventIds.FromIdempotencyKey(command.UserId, idempotencyKey, fingerprint), command.Name, command.UserId, command.Details);
        var key = command.UserId + ":" + idempotencyKey;

        var claim = await TryClaimAsync(key, fingerprint, cancellationToken);
        switch (claim?.Status)
        {
            case IdempotencyClaimStatus.Completed when claim.Fingerprint != fingerprint:
            case IdempotencyClaimStatus.InFlight when claim.Fingerprint != fingerprint:
                throw new IdempotencyKeyReusedException();
            case IdempotencyClaimStatus.InFlight:
                throw new IdempotencyKeyInFlightException();
            case IdempotencyClaimStatus.Completed:
                return Answer(claim.Record!.Result, claim.Record.Event);
        }

        AddEventResult result;
        try
        {
            result = await add(newEvent, cancellationToken);
        }
        catch when (claim?.Token is { } token)
        {
            await ReleaseAsync(key, token);
            throw;
        }

        if (claim is not null)
        {
            await CompleteAsync(key, new IdempotencyRecord(fingerprint, result, newEvent));
        }

        return Answer(result, newEvent);
    }

    private static EventDto Answer(AddEventResult result, EventDto added) =>
        result == AddEventResult.UserNotFound ? throw new NotFoundException("User", added.UserId) : added;

    // Null when the store cannot be reached: the request goes on unguarded, and its derived id keeps it safe.
    private async Task<IdempotencyClaim?> TryClaimAsync(string key, string fingerprint, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryClaimAsync(key, fingerprint, _options.InFlightTimeout, cancellationToken);
        }
        catch (IdempotencyStoreUnavailableException exception)
        {
            // The store's own connection logs when it is lost and back; one line per request would flood the log.
            logger.LogDebug(exception, "Idempotency store unavailable; adding without a record");
            return null;
        }
    }

    // Not cancellable by the caller: the answer exists now and must be recorded (bounded by the store's timeouts).
    private async Task CompleteAsync(string key, IdempotencyRecord record)
    {
        try
        {
            await store.CompleteAsync(key, record, _options.Retention, CancellationToken.None);
        }
        catch (IdempotencyStoreUnavailableException exception)
        {
            logger.LogDebug(exception, "Idempotency store unavailable; the answer is not recorded");
        }
    }

    private async Task ReleaseAsync(string key, string token)
    {
        try
        {
            await store.ReleaseAsync(key, token, CancellationToken.None);
        }
        catch (IdempotencyStoreUnavailableException exception)
        {
            logger.LogDebug(exception, "Idempotency store unavailable; the claim expires by itself");
        }
    }
}
