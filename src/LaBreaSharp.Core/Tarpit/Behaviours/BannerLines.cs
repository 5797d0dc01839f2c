namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>Which greeting a banner port drips.</summary>
public enum BannerKind : byte
{
    None,
    /// <summary>RFC 4253 §4.2 lets a server send other lines before its version string: random
    /// printable lines that never begin with "SSH-" (Endlessh's trick).</summary>
    Ssh,
    /// <summary>"HTTP/1.1 200 OK", then header lines, never the blank line that ends them.</summary>
    Http,
    /// <summary>A multi-line 220 greeting (RFC 5321 §4.2.1) of "220-" lines only, never "220 ".</summary>
    Smtp,
    /// <summary>Telnet option negotiation (RFC 854/855) that never reaches a login prompt.</summary>
    Telnet,
}

/// <summary>The lines of a never-ending greeting. Line n of a flow is made from a keyed hash of the
/// flow and n alone, so a retransmission writes the same bytes again and nothing is buffered per
/// flow. Every line, its CRLF included, is at most <see cref="MaxLength"/> bytes.</summary>
public static class BannerLines
{
    /// <summary>RFC 4253 §4.2: a line, CRLF included, is at most 255 bytes; the sender keeps at most
    /// one line in flight, so it counts a line's bytes in one byte.</summary>
    public const int MaxLength = 255;

    private static readonly byte[][] CacheControl = ["no-cache"u8.ToArray(), "private, max-age=0"u8.ToArray(), "no-store"u8.ToArray(), "public, max-age=300"u8.ToArray()];
    private static readonly byte[][] Vary = ["Accept-Encoding"u8.ToArray(), "Cookie"u8.ToArray(), "Origin"u8.ToArray(), "Accept-Encoding, Cookie"u8.ToArray()];
    private static readonly byte[][] Cache = ["HIT"u8.ToArray(), "MISS"u8.ToArray(), "EXPIRED"u8.ToArray()];
    private static readonly byte[][] Words =
    [
        "ESMTP"u8.ToArray(), "ready"u8.ToArray(), "service"u8.ToArray(), "mail"u8.ToArray(), "relay"u8.ToArray(), "queue"u8.ToArray(),
        "greeting"u8.ToArray(), "spool"u8.ToArray(), "host"u8.ToArray(), "accepting"u8.ToArray(), "node"u8.ToArray(), "cluster"u8.ToArray(),
    ];
    /// <summary>Telnet options a server negotiates at the start (RFC 1091 TTYPE, 1073 NAWS, 1079 TSPEED,
    /// 1372 LFLOW, 1184 LINEMODE, 1096 XDISPLOC, 1572 NEW-ENVIRON, 857 ECHO, 858 SGA, 859 STATUS).</summary>
    private static readonly byte[] TelnetOptions = [24, 31, 32, 33, 34, 35, 39, 1, 3, 5];

    private const byte Iac = 255, Will = 251, Wont = 252, Do = 253, Dont = 254, Sb = 250, Se = 240;

    /// <summary>Writes line <paramref name="line"/> of the flow whose keyed hash is
    /// <paramref name="flowSeed"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int Write(BannerKind kind, ulong flowSeed, uint line, Span<byte> destination)
    {
        var random = new LineRandom(flowSeed, line);
        return kind switch
        {
            BannerKind.Ssh => Ssh(ref random, destination),
            BannerKind.Http => line == 0 ? Copy("HTTP/1.1 200 OK\r\n"u8, destination) : Header(ref random, destination),
            BannerKind.Smtp => Smtp(line, ref random, destination),
            BannerKind.Telnet => Telnet(ref random, destination),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a banner"),
        };
    }

    private static int Ssh(ref LineRandom random, Span<byte> line)
    {
        int length = 8 + (int)random.Below(64);
        for (int i = 0; i < length; i++)
            line[i] = (byte)(0x21 + random.Below(94)); // printable, no space
        if (line[0] == (byte)'S')
            line[0] = (byte)'s'; // never "SSH-", which would be taken for the version line
        return Crlf(line, length);
    }

    /// <summary>A response header a busy web stack might send, with a value that fits its name.</summary>
    private static int Header(ref LineRandom random, Span<byte> line)
    {
        int at;
        switch (random.Below(10))
        {
            case 0:
                at = Copy("Cache-Control: "u8, line);
                at += Copy(CacheControl[random.Below((uint)CacheControl.Length)], line[at..]);
                break;
            case 1:
                at = Copy("Set-Cookie: sid="u8, line);
                at += Hex(ref random, line[at..], 24);
                at += Copy("; Path=/; HttpOnly"u8, line[at..]);
                break;
            case 2:
                at = Copy("X-Request-Id: "u8, line);
                at += Hex(ref random, line[at..], 32);
                break;
            case 3:
                at = Copy("ETag: W/\""u8, line);
                at += Hex(ref random, line[at..], 16);
                line[at++] = (byte)'"';
                break;
            case 4:
                at = Copy("Vary: "u8, line);
                at += Copy(Vary[random.Below((uint)Vary.Length)], line[at..]);
                break;
            case 5:
                at = Copy("X-Cache: "u8, line);
                at += Copy(Cache[random.Below((uint)Cache.Length)], line[at..]);
                break;
            case 6:
                at = Copy("Link: </static/"u8, line);
                at += Hex(ref random, line[at..], 10);
                at += Copy(".css>; rel=preload; as=style"u8, line[at..]);
                break;
            case 7:
                at = Copy("Server-Timing: app;dur="u8, line);
                at += Digits(random.Below(900) + 12, line[at..]);
                break;
            case 8:
                at = Copy("Age: "u8, line);
                at += Digits(random.Below(86_400), line[at..]);
                break;
            default:
                at = Copy("X-Trace-Id: "u8, line);
                at += Hex(ref random, line[at..], 16);
                break;
        }
        return Crlf(line, at);
    }

    private static int Digits(uint value, Span<byte> line)
    {
        value.TryFormat(line, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }

    private static int Smtp(uint number, ref LineRandom random, Span<byte> line)
    {
        int at = Copy("220-"u8, line);
        if (number == 0)
        {
            at += Copy("mx"u8, line[at..]);
            at += Hex(ref random, line[at..], 4);
            at += Copy(".mail ESMTP"u8, line[at..]);
            return Crlf(line, at);
        }
        int words = 2 + (int)random.Below(8);
        for (int w = 0; w < words; w++)
        {
            at += Copy(Words[random.Below((uint)Words.Length)], line[at..]);
            line[at++] = (byte)' ';
        }
        at += Hex(ref random, line[at..], 6);
        return Crlf(line, at);
    }

    private static int Telnet(ref LineRandom random, Span<byte> line)
    {
        byte option = TelnetOptions[random.Below((uint)TelnetOptions.Length)];
        if (option == 24 && random.Below(3) == 0)
        {
            // IAC SB TERMINAL-TYPE SEND IAC SE: "what terminal are you?", asked again and again.
            ReadOnlySpan<byte> ask = [Iac, Sb, 24, 1, Iac, Se];
            return Copy(ask, line);
        }
        ReadOnlySpan<byte> verbs = [Will, Wont, Do, Dont, Do, Will];
        line[0] = Iac;
        line[1] = verbs[(int)random.Below((uint)verbs.Length)];
        line[2] = option;
        return 3;
    }

    private static int Hex(ref LineRandom random, Span<byte> line, int digits)
    {
        for (int i = 0; i < digits; i++)
            line[i] = (byte)"0123456789abcdef"[(int)random.Below(16)];
        return digits;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> line)
    {
        text.CopyTo(line);
        return text.Length;
    }

    private static int Crlf(Span<byte> line, int length)
    {
        line[length] = (byte)'\r';
        line[length + 1] = (byte)'\n';
        return length + 2;
    }

    /// <summary>SplitMix64 from the flow's seed and the line number: the same bytes every time.</summary>
    private struct LineRandom(ulong seed, uint line)
    {
        private ulong _state = seed ^ (line * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;

        public uint Below(uint bound)
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (uint)(((z >> 32) * bound) >> 32);
        }
    }
}
