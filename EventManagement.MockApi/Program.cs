namespace EventManagement.MockApi;

/// <summary>Entry point of the stand-in for the external events API.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapGet("/healthz", () => Results.Ok(new { status = "Healthy" }));
        app.Run();
    }
}
