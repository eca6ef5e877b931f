using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Starts the test host's child processes so that none outlives the host, however the host ends.
/// </summary>
/// <remarks>
/// Two layers. (1) Each child runs under <c>setpriv --pdeathsig KILL</c> (util-linux, in every Debian): the kernel
/// kills it when the thread that forked it dies, which covers a host killed with SIGKILL (vstest's hang timeout, the
/// OOM killer) or crashed. That signal follows the forking <em>thread</em>, not the process, so every child is forked
/// from one thread that lives as long as the host; a pool thread would retire when idle and take its children along.
/// (2) On the host's own exit (normal end, SIGTERM, Ctrl-C) the children still running are killed, which also covers a
/// machine without setpriv.
/// </remarks>
internal static class ChildProcesses
{
    private const string Setpriv = "/usr/bin/setpriv";
    private const string Env = "/usr/bin/env";

    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses()
    {
        new Thread(ForkAll) { IsBackground = true, Name = "child-process-launcher" }.Start();
        AppDomain.CurrentDomain.ProcessExit += static (_, _) => KillAll();
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; the rest of <paramref name="start"/> as given.</summary>
    public static Process Start(ProcessStartInfo start, string fileName, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(start);
        List<string> command = [.. Wrappers, fileName, .. arguments];
        start.FileName = command[0];
        start.ArgumentList.Clear();
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        var process = started.Task.GetAwaiter().GetResult();
        Running[process.Id] = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
        return process;
    }

    /// <summary>
    /// setpriv for the parent-death signal, then env to put every signal back to its default: a host started in the
    /// background by a script (or by nohup) ignores SIGINT, children inherit that, and the tests that send SIGINT
    /// would see nothing happen.
    /// </summary>
    private static IEnumerable<string> Wrappers =>
        (File.Exists(Setpriv) ? [Setpriv, "--pdeathsig", "KILL"] : Array.Empty<string>())
            .Concat(File.Exists(Env) ? [Env, "--default-signal"] : Array.Empty<string>());

    private static void ForkAll()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}."));
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                started.SetException(exception);
            }
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has just exited.
            }
        }
    }
}
