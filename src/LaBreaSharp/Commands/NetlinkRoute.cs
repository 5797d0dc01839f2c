using System.Buffers.Binary;
using LaBreaSharp.Interop;

namespace LaBreaSharp.Commands;

/// <summary>One NETLINK_ROUTE dump (links, addresses, neighbours): the request, then every message of
/// the answer handed to a callback until NLMSG_DONE. The socket is the calling thread's network
/// namespace's, which /sys/class/net is not always (a process that entered a namespace without
/// mounting its sysfs still sees the old one's interfaces there).</summary>
public static class NetlinkRoute
{
    public const ushort RtmGetLink = 18, RtmNewLink = 16, RtmGetAddr = 22, RtmNewAddr = 20, RtmGetNeigh = 30, RtmNewNeigh = 28;

    /// <summary>Called with each message's type and its payload (after the 16-byte nlmsghdr).</summary>
    public delegate void MessageHandler(ushort type, ReadOnlySpan<byte> payload);

    /// <summary>Dumps <paramref name="type"/> for IPv4 (family AF_INET in the request's first
    /// payload byte; <paramref name="headerLength"/> bytes of family header). False when there is no
    /// netlink socket or the kernel refused the request.</summary>
    public static unsafe bool Dump(ushort type, int headerLength, byte family, MessageHandler handler)
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
            return false;
        try
        {
            int length = 16 + headerLength;
            Span<byte> request = stackalloc byte[length];
            request.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)length);
            BinaryPrimitives.WriteUInt16LittleEndian(request[4..], type);
            BinaryPrimitives.WriteUInt16LittleEndian(request[6..], 0x301);   // NLM_F_REQUEST | NLM_F_DUMP
            BinaryPrimitives.WriteUInt32LittleEndian(request[8..], 1);       // sequence
            request[16] = family;
            var buffer = new byte[32768];
            fixed (byte* send = request)
            fixed (byte* receive = buffer)
            {
                if (Libc.send(fd, send, (nuint)request.Length, 0) != request.Length)
                    return false;
                for (int datagrams = 0; datagrams < 10_000; datagrams++) // a dump ends with NLMSG_DONE; the bound only guards against a kernel that never says so
                {
                    nint received = Libc.recv(fd, receive, (nuint)buffer.Length, 0);
                    if (received <= 0)
                        return false;
                    switch (Messages(buffer.AsSpan(0, (int)received), handler))
                    {
                        case End.Done:
                            return true;
                        case End.Error:
                            return false;
                    }
                }
                return false;
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public enum End { More, Done, Error }

    /// <summary>Reads one datagram of a dump: each message to <paramref name="handler"/>, then whether
    /// the dump goes on, ended (NLMSG_DONE) or failed (NLMSG_ERROR, or a message that does not fit).</summary>
    public static End Messages(ReadOnlySpan<byte> data, MessageHandler handler)
    {
        while (data.Length >= 16)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
            if (length < 16 || length > data.Length)
                return End.Error;
            if (type == 2) // NLMSG_ERROR
                return End.Error;
            if (type == 3) // NLMSG_DONE
                return End.Done;
            handler(type, data[16..length]);
            data = data[Math.Min(data.Length, (length + 3) & ~3)..];
        }
        return End.More;
    }

    /// <summary>Calls <paramref name="attribute"/> with each rtattr (type, value) in <paramref name="attributes"/>.</summary>
    public static void Attributes(ReadOnlySpan<byte> attributes, MessageHandler attribute)
    {
        while (attributes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]);
            if (length < 4 || length > attributes.Length)
                return;
            attribute(type, attributes[4..length]);
            attributes = attributes[Math.Min(attributes.Length, (length + 3) & ~3)..];
        }
    }
}
