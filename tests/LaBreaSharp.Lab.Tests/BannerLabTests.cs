using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Banners against real, unmodified clients: OpenSSH (beside Endlessh, against the same
/// client), curl, Python's smtplib, a telnet-style client waiting for "login:". The tarpit
/// hard-captures 192.0.2.64/26 so that no ARP wait comes first.</summary>
public partial class BannerLabTests
{
    internal const string Target = "192.0.2.70";
    internal const string Space = "--hard-capture 192.0.2.64/26";
    internal static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    internal static readonly string Script = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "banner-client.py");

    internal static Process Ssh(Lab lab, string address, int port) =>
        lab.Start("scan", $"ssh -n -v -p {port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes test@{address}");

    /// <summary>Stops a client and returns what it wrote to stderr and stdout.</summary>
    internal static string Finish(Process client)
    {
        bool running = !client.HasExited;
        if (running)
            client.Kill(entireProcessTree: true);
        client.WaitForExit();
        return client.StandardError.ReadToEnd() + client.StandardOutput.ReadToEnd();
    }

    [RootFact]
    public void Ssh_waits_for_the_version_line_for_a_minute_beside_endlessh()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"{Space} --banner 22=ssh --banner-delay 5");
        // Endlessh on the tarpit host's own address, same delay: the same client, the same wait.
        using var endlessh = lab.Start("tarpit", "endlessh -v -p 2222 -d 5000");
        Wait.For(() => lab.Run("tarpit", "ss -tlnH sport = :2222").Output.Contains("2222"), TimeSpan.FromSeconds(10), "endlessh to listen");

        using var ours = Ssh(lab, Target, 22);
        using var theirs = Ssh(lab, "192.0.2.1", 2222);
        Thread.Sleep(62_000);
        Assert.False(ours.HasExited, "ssh gave up on the banner within a minute");
        Assert.False(theirs.HasExited, "ssh gave up on endlessh within a minute");
        string ourLog = Finish(ours), theirLog = Finish(theirs);
        int ourLines = BannerLine().Matches(ourLog).Count, theirLines = BannerLine().Matches(theirLog).Count;
        Assert.True(ourLines >= 5, $"{ourLines} pre-version lines from the tarpit:\n{ourLog}");
        Assert.True(theirLines >= 5, $"{theirLines} pre-version lines from endlessh:\n{theirLog}");
        Assert.DoesNotContain("Remote protocol version", ourLog); // never a version string
        Finish(endlessh);
        var end = tarpit.WaitForEvents("banner-end", seconds: 10).Single();
        Assert.Equal("reset", end.GetProperty("reason").GetString()); // the killed client's kernel said so
        Assert.True(end.GetProperty("seconds").GetInt64() >= 60);
    }

    [GeneratedRegex(@"banner line \d+:")]
    private static partial Regex BannerLine();

}

/// <summary>Banners for web, mail and telnet clients.</summary>
public class OtherBannerLabTests
{
    private const string Target = BannerLabTests.Target;
    private const string Space = BannerLabTests.Space;

    [RootFact]
    public void Curl_is_still_reading_headers_after_a_minute()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"{Space} --banner 80=http --banner-delay 5");
        using var curl = lab.Start("scan", $"curl -sv --max-time 120 -o /dev/null http://{Target}/");
        Thread.Sleep(62_000);
        Assert.False(curl.HasExited, "curl finished: the headers ended");
        string log = BannerLabTests.Finish(curl);
        Assert.Contains("< HTTP/1.1 200 OK", log);
        int headers = Regex.Matches(log, @"^< [A-Za-z-]+: ", RegexOptions.Multiline).Count;
        Assert.True(headers >= 5, $"{headers} header lines:\n{log}");
        Assert.DoesNotContain("left intact", log); // curl's words for a finished response
    }

    [RootFact]
    public void Smtplib_never_gets_past_the_greeting_and_a_telnet_client_never_sees_login()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"{Space} --banner 25=smtp --banner 23=telnet --banner-delay 5");
        using var smtp = lab.Start("scan", $"{BannerLabTests.Python} -u {BannerLabTests.Script} smtp {Target} 25 62");
        using var telnet = lab.Start("scan", $"{BannerLabTests.Python} -u {BannerLabTests.Script} telnet {Target} 23 62");
        Assert.True(smtp.WaitForExit(90_000) && telnet.WaitForExit(90_000));
        string smtpOut = smtp.StandardOutput.ReadToEnd(), telnetOut = telnet.StandardOutput.ReadToEnd();
        Assert.Contains("still in the greeting after 62 s", smtpOut);
        Assert.Contains("no login prompt after 62 s", telnetOut);
        Assert.Matches(@"negotiations (\d{2,}|[5-9])", telnetOut);
    }

}

/// <summary>--drop-after and --noise against real clients.</summary>
public partial class ModifierLabTests
{
    private const string Target = BannerLabTests.Target;
    private const string Space = BannerLabTests.Space;

    [RootFact]
    public void Drop_after_leaves_ssh_hung_on_a_silent_connection()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"{Space} --banner 22=ssh --banner-delay 5 --drop-after 30");
        var capture = lab.File("drop.txt");
        using var dump = lab.Start("scan", $"sh -c \"exec tcpdump -i eth0 -n -tt -l 'src host {Target} and tcp' > {capture} 2>/dev/null\"");
        Thread.Sleep(1_500);
        using var ssh = BannerLabTests.Ssh(lab, Target, 22);
        Thread.Sleep(92_000);
        Assert.False(ssh.HasExited, "ssh gave up");
        var times = File.ReadAllLines(capture).Select(l => double.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        BannerLabTests.Finish(ssh);
        BannerLabTests.Finish(dump);
        Assert.True(times.Count >= 4, $"{times.Count} segments from the tarpit");
        Assert.InRange(times[^1] - times[0], 20, 31); // nothing after 30 s
        Assert.Single(tarpit.WaitForEvents("drop"));
    }

    [RootFact]
    public void Noise_makes_the_client_retransmit_and_its_connection_lives_for_five_minutes()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"{Space} --banner 22=ssh --banner-delay 5 --noise 0.3");
        using var client = lab.Start("scan", $"{BannerLabTests.Python} -u {BannerLabTests.Script} talk {Target} 22 305");
        int retransmissions = 0;
        string info = "";
        var deadline = DateTime.UtcNow.AddSeconds(300);
        while (DateTime.UtcNow < deadline)
        {
            info = lab.Run("scan", $"ss -tinH dst {Target}").Output;
            if (RetransTotal().Match(info) is { Success: true } m)
                retransmissions = Math.Max(retransmissions, int.Parse(m.Groups[1].Value));
            if (client.HasExited) // (the message must not be built before: reading the output waits for the exit)
                Assert.Fail($"the client's connection ended: {client.StandardOutput.ReadToEnd()}");
            Thread.Sleep(5_000);
        }
        Assert.True(retransmissions >= 3, $"the client's kernel retransmitted {retransmissions} times; ss said: {info}");
        Assert.Empty(tarpit.Events("banner-end")); // the conversation never ended, noise and all
        Assert.True(client.WaitForExit(30_000));
        string output = client.StandardOutput.ReadToEnd();
        Assert.Contains("still connected after 305 s", output);
    }

    /// <summary>ss -i: "retrans:0/7" is in flight / total.</summary>
    [GeneratedRegex(@"retrans:\d+/(\d+)")]
    private static partial Regex RetransTotal();
}
