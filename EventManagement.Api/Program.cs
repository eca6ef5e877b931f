var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "Healthy" }));
app.Run();

/// <summary>Marker for WebApplicationFactory in the tests.</summary>
public partial class Program;
