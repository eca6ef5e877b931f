using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// A real redis-server (Debian's) on a free loopback port, with no persistence and its files in a temporary folder.
/// <see cref="Stop"/> kills it (as a crash would) and <see cref="RestartAsync"/> brings it back on the same port,
/// empty, so that tests can take Redis away from a running Api and give it back. Dispose stops it for good.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string executable, string directory, int port)
    {
        _executable = executable;
        _directory = directory;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string of this server (what <c>Cache:Redis</c> takes).</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts redis-server and waits until it answers PING. Skips the test where redis-server is missing.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = RequiredBinary.Find("redis-server", "redis-server");
        var directory = Directory.CreateTempSubdirectory("em-redis-").FullName;
        var server = new RedisServer(executable, directory, 0);
        // Another program may take the chosen port before redis binds it: then redis exits and we pick another.
        for (var attempt = 1; ; attempt++)
        {
            server.Port = ServiceProcess.FreePort();
            if (await server.TryStartAsync() || attempt == 5)
            {
                return server.IsRunning ? server : throw new InvalidOperationException("redis-server did not start.");
            }
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Kills the server at once, without a save (as a crash or a lost node would).</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
    }

    /// <summary>Starts the server again on the same port (empty) and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        Stop();
        if (!await TryStartAsync())
        {
            throw new InvalidOperationException($"redis-server did not start again on port {Port}.");
        }
    }

    /// <summary>Sends one command in Redis's inline protocol and returns the first reply line (e.g. "+PONG").</summary>
    public async Task<string> CommandAsync(string inlineCommand)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(inlineCommand + "\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        _process?.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned by the system later.
        }
    }

    private async Task<bool> TryStartAsync()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty,
                     "--appendonly", "no", "--dir", _directory, "--daemonize", "no", "--protected-mode", "no",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }
}
