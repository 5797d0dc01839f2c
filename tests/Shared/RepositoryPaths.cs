namespace LaBreaSharp.Testing;

/// <summary>Where the repository and its fixtures are, found from the test assembly upwards.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Pcaps => Path.Combine(Root, "pcaps");

    public static string Fixture(string name) => Path.Combine(Pcaps, name);

    /// <summary>Public captures beside the repository (../shared/pcaps), present in development and CI.</summary>
    public static string SharedPcaps => Path.GetFullPath(Path.Combine(Root, "..", "shared", "pcaps"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LaBreaSharp.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("LaBreaSharp.sln not found above " + AppContext.BaseDirectory);
    }
}
