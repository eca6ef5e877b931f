using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// One of our programs (the Api or the MockApi) running as a real process on a free port, built by the test
/// project's own build. Output is captured for assertions and failure messages. Dispose stops it.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <summary>Settings a developer's shell may hold that would quietly change a test's program; never inherited.</summary>
    private static readonly string[] InheritedSettingPrefixes =
    [
        "MockApi__", "ExternalApi__", "CircuitBreaker__", "EventFetch__", "Shutdown__", "Security__", "Swagger__", "ForwardedHeaders__", "Cache__",
        "EXTERNAL_API_BASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "EVENTMANAGEMENT_LOG_LEVEL",
    ];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();

    private ServiceProcess(Process process, string project, int port)
    {
        _process = process;
        Project = project;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The project this process runs, e.g. "EventManagement.Api".</summary>
    public string Project { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The lines written so far, stdout and stderr together.</summary>
    public IReadOnlyList<string> OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="project"/> (e.g. "EventManagement.Api") with PORT set to a free port.</summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var directory = Path.Combine(RepositoryRoot, project, "bin", BuildConfiguration, "net10.0");
        var dll = Path.Combine(directory, project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first; {dll} is missing.", dll);
        }

        var chosenPort = port ?? FreePort();
        var start = new ProcessStartInfo(DotnetHost, [dll])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var inherited in start.Environment.Keys
                     .Where(static key => InheritedSettingPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                     .ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["PORT"] = chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}."), project, chosenPort);
    }

    /// <summary>Waits until GET /healthz answers 200 (or the process dies, or the time runs out).</summary>
    public Task WaitUntilHealthyAsync(TimeSpan? timeout = null) => WaitUntilOkAsync("/healthz", timeout);

    /// <summary>Waits until GET <paramref name="path"/> answers 200 (or the process dies, or the time runs out).</summary>
    public async Task WaitUntilOkAsync(string path, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"GET {path} did not answer 200 within {limit}:\n{Output}");
    }

    /// <summary>Waits for the process to exit by itself; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd would.</summary>
    public void SendSigterm() => SendSignal(SigTerm, "SIGTERM");

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal would.</summary>
    public void SendSigint() => SendSignal(SigInt, "SIGINT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            SendSigterm();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }

        _process.Dispose();
    }

    /// <summary>A port nobody listens on right now (never 3000 or 3001: those are the developer's).</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary>
    /// <paramref name="count"/> different ports nobody listens on right now: all are held open together while they
    /// are chosen, so that two processes started side by side never get the same one.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(static listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private void SendSignal(int signal, string name)
    {
        if (!_process.HasExited && kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {name}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Debug or Release: whatever the tests themselves were built as.</summary>
    private static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    internal static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "EventManagement.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("EventManagement.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
