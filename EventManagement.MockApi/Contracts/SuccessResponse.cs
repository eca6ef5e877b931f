namespace EventManagement.MockApi.Contracts;

/// <summary>The body of a successful POST /addEvent: <c>{ "success": true }</c>.</summary>
/// <param name="Success">Always true.</param>
internal sealed record SuccessResponse(bool Success)
{
    /// <summary>The one instance there is any need for.</summary>
    public static readonly SuccessResponse Instance = new(true);
}
