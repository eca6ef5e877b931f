namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Finds a program from Debian's packages (redis-server, nginx, promtool, chromium) that a test needs. Outside CI a
/// missing one reports the test skipped with the reason; under <c>CI=true</c> (where .ci/run installs them) it fails.
/// </summary>
internal static class RequiredBinary
{
    /// <summary>True when the test runs under CI, where every required program must be there.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> (a path, or a name looked up on PATH and in the sbin folders).</summary>
    public static string Find(string name, string debianPackage)
    {
        var path = TryFind(name);
        if (path is not null)
        {
            return path;
        }

        var reason = $"{name} is not installed; install Debian's {debianPackage} (bash .ci/run does) to run this test.";
        if (UnderCi)
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
        return null!; // not reached: Assert.Ignore throws
    }

    private static string? TryFind(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
    }
}
