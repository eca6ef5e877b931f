using EventManagement.Application.Users;
using Microsoft.AspNetCore.Mvc;

namespace EventManagement.Api.Controllers;

/// <summary>Users of the external events API.</summary>
[ApiController]
[Tags("Users")]
public sealed class UsersController(UsersService users) : ControllerBase
{
    /// <summary>Lists all users.</summary>
    /// <response code="200">All users, each with the ids of their events.</response>
    /// <response code="502">The external API answered something unusable.</response>
    /// <response code="503">The external API is unavailable (it refused or dropped the connection through the retries).</response>
    /// <response code="504">The external API did not answer in time.</response>
    [HttpGet("/getUsers")]
    [ProducesResponseType<IReadOnlyList<UserDto>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public Task<IReadOnlyList<UserDto>> GetUsers(CancellationToken cancellationToken) =>
        users.GetUsersAsync(cancellationToken);
}
