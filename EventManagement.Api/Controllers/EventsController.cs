using EventManagement.Api.Contracts;
using EventManagement.Api.Security;
using EventManagement.Api.Validation;
using EventManagement.Application.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace EventManagement.Api.Controllers;

/// <summary>Events of the external events API.</summary>
[ApiController]
[Tags("Events")]
public sealed class EventsController(EventsService events) : ControllerBase
{
    /// <summary>Lists all events.</summary>
    /// <response code="200">All events.</response>
    /// <response code="502">The external API answered something unusable.</response>
    /// <response code="503">The external API is unavailable.</response>
    /// <response code="504">The external API did not answer in time.</response>
    [HttpGet("/getEvents")]
    [ProducesResponseType<IReadOnlyList<EventDto>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public Task<IReadOnlyList<EventDto>> GetEvents(CancellationToken cancellationToken) =>
        events.GetEventsAsync(cancellationToken);

    /// <summary>Lists one user's events, in the order of the user's list.</summary>
    /// <remarks>The events are fetched concurrently, so the answer takes about one external lookup, not one per event.</remarks>
    /// <param name="id" example="1">The user's id: 1 to 64 letters, digits, '-' or '_'.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="200">The user's events.</response>
    /// <response code="400">The id is malformed.</response>
    /// <response code="404">No such user.</response>
    /// <response code="502">The external API answered something unusable.</response>
    /// <response code="503">The external API is unavailable.</response>
    /// <response code="504">The external API did not answer in time.</response>
    [HttpGet("/getEventsByUserId/{id}")]
    [ProducesResponseType<IReadOnlyList<EventDto>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public Task<IReadOnlyList<EventDto>> GetEventsByUserId([FromRoute, Identifier] string id, CancellationToken cancellationToken) =>
        events.GetEventsByUserIdAsync(id, cancellationToken);

    /// <summary>Adds an event for a user.</summary>
    /// <remarks>
    /// The Api gives the event a new unique id. Send an <c>Idempotency-Key</c> header (quoted, as the IETF draft
    /// writes it, or bare) to make a repeat safe: a repeat of the same request gets the first answer again (the same
    /// event, stored once), on any replica; the same key with another body is a 422, and the same key while the
    /// first request is still in flight a 409. Answers are kept for <c>Idempotency:Retention</c> (24 h).
    /// Calls go through retries and a circuit breaker: after 3 failed calls in 30 s the breaker opens and answers
    /// 503 "service down, try later" with Retry-After, without calling the external API, until a probe succeeds.
    /// </remarks>
    /// <param name="request">The event.</param>
    /// <param name="idempotencyKey">Optional: a quoted string or 1 to 200 visible ASCII characters that identify this request.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <response code="201">The event is stored.</response>
    /// <response code="400">The body is malformed or invalid.</response>
    /// <response code="401">An API key is required and missing or wrong.</response>
    /// <response code="404">No such user.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="409">A request with the same Idempotency-Key is still in flight; retry after it.</response>
    /// <response code="415">The body is not JSON.</response>
    /// <response code="422">The Idempotency-Key was already used with a different request.</response>
    /// <response code="429">Too many requests from this client; see Retry-After.</response>
    /// <response code="503">"service busy" (the external API kept failing through the retries) or "service down, try later" (the breaker is open; see Retry-After).</response>
    /// <response code="504">The external API did not answer in time.</response>
    [HttpPost("/addEvent")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitingSetup.AddEventPolicy)]
    [Authorize(Policy = ApiKeySetup.AddEventPolicy)]
    [ProducesResponseType<AddEventResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public async Task<IActionResult> AddEvent(
        [FromBody] AddEventRequest request,
        [FromHeader(Name = "Idempotency-Key"), IdempotencyKey] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = idempotencyKey is null ? null : IdempotencyKeyHeader.Parse(idempotencyKey);
        var command = new AddEventCommand(request.Name!.Trim(), request.UserId!, request.Details, key);
        var added = await events.AddEventAsync(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, new AddEventResponse(true, added));
    }
}
