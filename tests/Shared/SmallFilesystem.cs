namespace LaBreaSharp.Testing;

/// <summary>A tmpfs of a few kilobytes mounted on a fresh directory (root only), for what a full disk
/// does to a writer; <see cref="Fill"/> takes the space, <see cref="Free"/> gives it back. Unmounted
/// and removed on dispose.</summary>
public sealed class SmallFilesystem : IDisposable
{
    private readonly string _filler;

    public SmallFilesystem(int kilobytes = 64)
    {
        Root = Directory.CreateTempSubdirectory("lbs-full-").FullName;
        Shell.Check("mount", $"-t tmpfs -o size={kilobytes}k tmpfs {Root}");
        _filler = Path.Combine(Root, "filler");
    }

    public string Root { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Writes a filler file until the filesystem refuses more.</summary>
    public void Fill()
    {
        using var stream = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
        var block = new byte[512];
        try
        {
            while (true)
                stream.Write(block);
        }
        catch (IOException)
        {
        }
    }

    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        Shell.Run("umount", Root);
        Directory.Delete(Root, recursive: true);
    }
}
