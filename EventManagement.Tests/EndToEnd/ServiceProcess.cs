using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// One of our programs (the Api or the MockApi) running as a real process, built by the test project's own build.
/// Unless told a port, it binds port 0 and the system picks a free one, so that no two things can ever get one port;
/// <see cref="Port"/> is read back from Kestrel's "Now listening on:" line. Output is captured for assertions and
/// failure messages. Dispose stops it; <see cref="ChildProcesses"/> stops it if the test host dies first.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <summary>How long <see cref="Port"/> waits for a program to bind on a busy two-core machine.</summary>
    private static readonly TimeSpan BindPatience = TimeSpan.FromSeconds(90);

    /// <summary>Settings a developer's shell may hold that would quietly change a test's program; never inherited.</summary>
    private static readonly string[] InheritedSettingPrefixes =
    [
        "MockApi__", "ExternalApi__", "CircuitBreaker__", "EventFetch__", "Shutdown__", "Security__", "Swagger__", "Requests__",
        "Cache__", "Idempotency__", "ForwardedHeaders__", "OTEL_",
        "EXTERNAL_API_BASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "EVENTMANAGEMENT_LOG_LEVEL",
    ];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, string project, int port)
    {
        _process = process;
        Project = project;
        if (port != 0)
        {
            _port.SetResult(port);
        }

        process.OutputDataReceived += (_, line) => OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The project this process runs, e.g. "EventManagement.Api".</summary>
    public string Project { get; }

    /// <summary>The port it listens on; waits until it has bound (throws if it exits first).</summary>
    public int Port => WaitForPortAsync(BindPatience).GetAwaiter().GetResult();

    /// <summary>http://127.0.0.1:<see cref="Port"/>; waits as <see cref="Port"/> does.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

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

    /// <summary>
    /// Starts <paramref name="project"/> (e.g. "EventManagement.Api") on <paramref name="port"/>, or without one on
    /// port 0 (any free port, read back into <see cref="Port"/>). A PORT in <paramref name="environment"/> wins.
    /// </summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var directory = Path.Combine(RepositoryRoot, project, "bin", BuildConfiguration, "net10.0");
        var dll = Path.Combine(directory, project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first; {dll} is missing.", dll);
        }

        var start = new ProcessStartInfo
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

        start.Environment["PORT"] = (port ?? 0).ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var chosenPort = int.TryParse(start.Environment["PORT"], NumberStyles.None, CultureInfo.InvariantCulture, out var fixedPort) ? fixedPort : 0;
        return new ServiceProcess(ChildProcesses.Start(start, DotnetHost, [dll]), project, chosenPort);
    }

    /// <summary>Waits until GET /healthz answers 200 (or the process dies, or the time runs out).</summary>
    public Task WaitUntilHealthyAsync(TimeSpan? timeout = null) => WaitUntilOkAsync("/healthz", timeout);

    /// <summary>Waits until GET <paramref name="path"/> answers 200 (or the process dies, or the time runs out).</summary>
    public async Task WaitUntilOkAsync(string path, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        int port;
        try
        {
            port = await WaitForPortAsync(limit);
        }
        catch (InvalidOperationException)
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException($"The process exited with {ExitCodeOrRunning} before it was healthy:\n{Output}");
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(2) };
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

    /// <summary>
    /// A port for a server that must be told one (a restart on the same port, redis-server): never 3000 or 3001, never
    /// one the system hands to a client connection or a port-0 bind, never one another caller got.
    /// </summary>
    public static int FreePort() => PortReservation.Reserve();

    /// <summary><paramref name="count"/> different ports, each as <see cref="FreePort"/>.</summary>
    public static int[] FreePorts(int count) => [.. Enumerable.Range(0, count).Select(static _ => FreePort())];

    /// <summary>Waits until the process has bound its port; throws InvalidOperationException if its output ends first.</summary>
    public Task<int> WaitForPortAsync(TimeSpan timeout) => _port.Task.WaitAsync(timeout);

    private string ExitCodeOrRunning => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "(still running)";

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _port.TrySetException(new InvalidOperationException($"{Project} ended its output before it listened:\n{Output}"));
            return;
        }

        Append(line);
        if (!_port.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
        {
            _port.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
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

    /// <summary>Kestrel's line (logger Microsoft.Hosting.Lifetime, which nlog.config keeps at Info), text or JSON.</summary>
    [GeneratedRegex(@"Now listening on: https?://[^\s""]*:(?<port>\d{1,5})(?!\d)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
