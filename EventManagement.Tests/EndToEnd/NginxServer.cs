using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// A real nginx (Debian's) on a free port in front of Api replicas, configured from the repository's own templates
/// (deploy/nginx), exactly as scripts/cluster.sh does, with every file in a temporary folder. Dispose stops it.
/// </summary>
internal sealed partial class NginxServer : IAsyncDisposable
{
    private const int SigQuit = 3;
    private readonly Process _process;
    private readonly string _directory;

    private NginxServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>nginx as clients reach it (from any loopback address: it listens on all of them).</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The access log: one line per request with the replicas it tried and their statuses.</summary>
    public string AccessLog => File.Exists(Path.Combine(_directory, "access.log")) ? File.ReadAllText(Path.Combine(_directory, "access.log")) : string.Empty;

    /// <summary>Starts nginx in front of <paramref name="replicas"/> and waits until it passes GET /healthz through.</summary>
    public static async Task<NginxServer> StartAsync(IEnumerable<ServiceProcess> replicas)
    {
        var executable = RequiredBinary.Find("nginx", "nginx");
        var servers = string.Concat(replicas.Select(static replica => $"server 127.0.0.1:{replica.Port} max_fails=1 fail_timeout=5s; "));
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("em-nginx-").FullName;
            // nginx's workers run as nobody when the tests run as root: they must reach the temp folders.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            Directory.CreateDirectory(Path.Combine(directory, "temp"));
            var port = ServiceProcess.FreePort();
            var template = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "nginx");
            await File.WriteAllTextAsync(Path.Combine(directory, "eventmanagement.conf"), (await File.ReadAllTextAsync(Path.Combine(template, "templates", "eventmanagement.conf.template")))
                .Replace("${API_SERVERS}", servers, StringComparison.Ordinal)
                .Replace("${NGINX_PORT}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), (await File.ReadAllTextAsync(Path.Combine(template, "nginx.conf.template")))
                .Replace("${NGINX_DIR}", directory, StringComparison.Ordinal));

            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") })
            {
                start.ArgumentList.Add(argument);
            }

            var nginx = new NginxServer(Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx."), directory, port);
            nginx._process.BeginOutputReadLine();
            nginx._process.BeginErrorReadLine();
            if (await nginx.WaitUntilServingAsync())
            {
                return nginx;
            }

            var errors = File.Exists(Path.Combine(directory, "error.log")) ? File.ReadAllText(Path.Combine(directory, "error.log")) : string.Empty;
            await nginx.DisposeAsync();
            // Another program may have taken the port first: then nginx exits and we pick another.
            if (attempt == 5)
            {
                throw new InvalidOperationException("nginx did not start:\n" + errors);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGQUIT: graceful stop (requests in flight finish).
            _ = kill(_process.Id, SigQuit);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temporary folder clean-up.
        }
        catch (UnauthorizedAccessException)
        {
            // Temp folders nginx created for its workers: left to the system's clean-up.
        }
    }

    private async Task<bool> WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
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

            await Task.Delay(50);
        }

        return false;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
