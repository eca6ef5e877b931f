using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EventManagement.Tests.MockApi;

/// <summary>The built MockApi run as a real process, as `dotnet EventManagement.MockApi.dll`.</summary>
/// <remarks>
/// Waits are on the process's own output and exit, never on the wall clock; every wait gives up after
/// <see cref="Patience"/> so that a broken build fails the test instead of hanging it.
/// </remarks>
public sealed class MockApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new();

    private MockApiProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Starts the MockApi in Production (JSON logs) with only the given settings in its environment.</summary>
    public static MockApiProcess Start(params (string Name, string Value)[] environment)
    {
        var dll = FindMockApiDll();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var inherited in start.Environment.Keys
                     .Where(key => key.StartsWith("MockApi__", StringComparison.OrdinalIgnoreCase)
                         || key is "PORT" or "ASPNETCORE_URLS" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT")
                     .ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var mockApi = new MockApiProcess(process);
        process.OutputDataReceived += (_, e) => mockApi.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => mockApi.Receive(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return mockApi;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Completes when a line containing <paramref name="text"/> has been written.</summary>
    public Task WaitForOutputAsync(string text)
    {
        var awaited = _awaited.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            awaited.TrySetResult();
        }

        return awaited.Task.WaitAsync(Patience);
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(patience.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string FindMockApiDll()
    {
        // Tests run from <root>/EventManagement.Tests/bin/<Configuration>/<tfm>/; the MockApi builds next door.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EventManagement.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? ".", "EventManagement.MockApi", "bin", configuration, output.Name,
            "EventManagement.MockApi.dll");
        Assert.That(dll, Does.Exist, "the MockApi must be built before these tests run");
        return dll;
    }

    private void Receive(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        _lines.Enqueue(line);
        foreach (var (text, awaited) in _awaited)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                awaited.TrySetResult();
            }
        }
    }
}
