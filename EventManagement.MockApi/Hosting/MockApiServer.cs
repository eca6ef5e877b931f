namespace EventManagement.MockApi.Hosting;

/// <summary>Kestrel settings of the MockApi.</summary>
internal static class MockApiServer
{
    /// <summary>Listens on all interfaces on <paramref name="port"/>, without a Server header.</summary>
    /// <remarks>
    /// UseUrls rather than ListenAnyIP: it replaces ASPNETCORE_URLS (and launchSettings' applicationUrl) silently,
    /// where ListenAnyIP would log an "overriding addresses" warning, and the test server ignores it.
    /// Kestrel's defaults put no cap on concurrent connections, which is what a load target needs, so the limits stay.
    /// </remarks>
    public static IWebHostBuilder UseMockApiServer(this IWebHostBuilder webHost, int port) =>
        webHost
            .UseUrls($"http://+:{port}")
            .ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
}
