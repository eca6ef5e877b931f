namespace EventManagement.Api.OpenApi;

/// <summary>Swagger UI (section <c>Swagger</c>).</summary>
public sealed class SwaggerOptions
{
    public const string SectionName = "Swagger";

    /// <summary>Serve /swagger. Unset: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
