using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace LaBreaSharp.Lab.Tests;

/// <summary>The published out/labreasharp running in the lab's tarpit namespace, with its event
/// log as JSON lines in a file. Started, it waits until the capture is open (the banner on
/// stderr); disposed, it is stopped with SIGTERM, as an operator would.</summary>
public sealed class TarpitProcess : IDisposable
{
    public static readonly string Executable = Path.Combine(RepositoryPaths.Root, "out", "labreasharp");

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();

    public TarpitProcess(Lab lab, string arguments)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run scripts/build.sh first");
        LogFile = lab.File($"events-{Guid.NewGuid():N}.jsonl");
        // Every lab's tarpit watches an eth0 of its own, but /run is the machine's: a control
        // socket in the lab's folder, so that labs running side by side do not meet there.
        ControlSocket = lab.File($"control-{Guid.NewGuid():N}.sock");
        if (!arguments.Contains("--control", StringComparison.Ordinal))
            arguments += $" --control {ControlSocket}";
        _process = lab.Start("tarpit", $"{Executable} run -i eth0 --log-format json --log-file {LogFile} {arguments}");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _error.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!Wait.Until(() => Error.Contains("watching eth0") || _process.HasExited, TimeSpan.FromSeconds(20)) || _process.HasExited)
            throw new InvalidOperationException($"the tarpit did not start: {Error}");
    }

    public string LogFile { get; }
    public string ControlSocket { get; }
    public string Output { get { lock (_gate) return _output.ToString(); } }
    public string Error { get { lock (_gate) return _error.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;
    public int ExitCode => _process.ExitCode;

    /// <summary>The events logged so far (the file is flushed at least once a second).</summary>
    public List<JsonElement> Events()
    {
        if (!File.Exists(LogFile))
            return [];
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var events = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
                events.Add(JsonDocument.Parse(line).RootElement.Clone());
        }
        return events;
    }

    public IEnumerable<JsonElement> Events(string name) => Events().Where(e => e.GetProperty("event").GetString() == name);

    /// <summary>Waits until at least <paramref name="count"/> events of a kind are in the log (it is
    /// flushed within a second) and returns them.</summary>
    public List<JsonElement> WaitForEvents(string name, int count = 1, int seconds = 5)
    {
        Wait.For(() => Events(name).Count() >= count, TimeSpan.FromSeconds(seconds), $"{count} '{name}' event(s) in the tarpit's log");
        return Events(name).ToList();
    }

    /// <summary>Sends SIGTERM and waits for the exit; how long it took.</summary>
    public TimeSpan Stop(int timeoutMilliseconds = 10_000)
    {
        var clock = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
            Shell.Run("kill", $"-TERM {_process.Id}");
            if (!_process.WaitForExit(timeoutMilliseconds))
                _process.Kill();
        }
        _process.WaitForExit(); // drains the output readers
        return clock.Elapsed;
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or the time is up.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(100);
        }
    }

    public static void For(Func<bool> condition, TimeSpan timeout, string what)
    {
        if (!Until(condition, timeout))
            throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
    }
}
