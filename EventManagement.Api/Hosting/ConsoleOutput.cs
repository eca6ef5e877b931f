using System.Reflection;
using System.Text;

namespace EventManagement.Api.Hosting;

/// <summary>
/// Standard output with a 32 KiB buffer instead of .NET's 256 bytes. NLog's async console target hands the console a
/// batch of lines at a time; through the default writer each batch became one write(2) per 256 bytes (about two per
/// request line, a quarter of the logging's CPU), through this one it is one write per batch. It still flushes after
/// every batch, so a line is out as soon as NLog writes it.
/// </summary>
public static class ConsoleOutput
{
    private const int BufferSize = 32 * 1024;

    /// <summary>Replaces <see cref="Console.Out"/>, only when this program owns the process (not in a test host).</summary>
    public static void UseLargeBuffer()
    {
        if (Assembly.GetEntryAssembly() != typeof(ConsoleOutput).Assembly)
        {
            return;
        }

        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize)
        {
            AutoFlush = true,
        });
    }
}
