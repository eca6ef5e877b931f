using EventManagement.Tests.EndToEnd;
using Microsoft.Playwright;

namespace EventManagement.Tests.Browser;

/// <summary>
/// Debian's Chromium (at /usr/bin/chromium, which .ci/run installs), headless, driven by Playwright: Playwright's own
/// browser download cannot work here. Without that browser the caller's tests are skipped, except under CI=true.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string ExecutablePath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Skips (or, under CI=true, fails) the calling fixture when Chromium is missing.</summary>
    public static void Require() => RequiredBinary.Find(ExecutablePath, "chromium");

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) network.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return new HeadlessChromium(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
