using System.Diagnostics;

namespace LaBreaSharp.Testing;

/// <summary>Runs a command and hands back what it printed; a non-zero exit is an exception that
/// carries stderr, so a broken test setup says what broke.</summary>
public static class Shell
{
    public static (int ExitCode, string Output, string Error) Run(string file, string arguments, int timeoutMilliseconds = 30_000)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish in {timeoutMilliseconds} ms");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    public static string Check(string file, string arguments, int timeoutMilliseconds = 30_000)
    {
        var (code, output, error) = Run(file, arguments, timeoutMilliseconds);
        if (code != 0)
            throw new InvalidOperationException($"'{file} {arguments}' exited {code}: {error.Trim()}");
        return output;
    }

    public static string Ip(string arguments) => Check("ip", arguments);
}
