using EventManagement.Tests.EndToEnd;
using Microsoft.Playwright;

namespace EventManagement.Tests.Browser;

/// <summary>
/// Swagger UI in a real headless Chromium (Debian's, at /usr/bin/chromium, which .ci/run installs), against the real
/// Api and MockApi processes. Without that browser the tests are reported skipped, except under CI=true.
/// </summary>
[Category("Browser")]
public sealed class SwaggerUiTests
{
    private ServiceProcess _mockApi = null!;
    private ServiceProcess _api = null!;
    private HeadlessChromium? _chromium;

    [OneTimeSetUp]
    public async Task StartEverything()
    {
        HeadlessChromium.Require();

        _mockApi = EndToEndServices.StartMockApi();
        _api = EndToEndServices.StartApi(_mockApi, ("Swagger__Enabled", "true"));
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _api);

        _chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [Test]
    public async Task SwaggerUi_ListsTheFourRoutes()
    {
        var page = await OpenSwaggerAsync();

        var paths = await page.Locator(".opblock-summary-path").AllInnerTextsAsync();

        Assert.That(
            paths.Select(path => path.Replace("\u200b", string.Empty, StringComparison.Ordinal).Trim()),
            Is.SupersetOf(new[] { "/getUsers", "/getEvents", "/getEventsByUserId/{id}", "/addEvent" }));
    }

    [Test]
    public async Task SwaggerUi_TryItOutOnGetUsers_Shows200()
    {
        var page = await OpenSwaggerAsync();
        var operation = page.Locator(".opblock.opblock-get")
            .Filter(new() { Has = page.Locator(".opblock-summary-path[data-path='/getUsers']") });

        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        var status = operation.Locator(".live-responses-table tbody .response-col_status").First;
        await Assertions.Expect(status).ToHaveTextAsync("200", new() { Timeout = 15_000 });
        var body = await operation.Locator(".live-responses-table .microlight").First.InnerTextAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "swagger-try-it-out.png"), FullPage = true });
        Assert.That(body, Does.Contain("hello@gmail.com"));
    }

    private async Task<IPage> OpenSwaggerAsync()
    {
        var page = await _chromium!.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_api.BaseAddress, "/swagger/index.html").ToString());
        await Assertions.Expect(page.Locator(".opblock-summary-path").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }
}
