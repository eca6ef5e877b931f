using EventManagement.Api.Hosting;

namespace EventManagement.Tests.Unit.Api.Hosting;

/// <summary>
/// The larger console buffer is only for the Api's own process: in a test host (WebApplicationFactory runs the Api's
/// Program here) the console belongs to the test runner, which captures it. The Api's own process is covered by the
/// end-to-end logging tests, which read its standard output line by line as it is written.
/// </summary>
[TestFixture]
public sealed class ConsoleOutputTests
{
    [Test]
    public void UseLargeBuffer_InATestHost_LeavesTheConsoleAlone()
    {
        var before = Console.Out;

        ConsoleOutput.UseLargeBuffer();

        Assert.That(Console.Out, Is.SameAs(before));
    }
}
