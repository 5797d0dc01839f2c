namespace LaBreaSharp.Testing;

/// <summary>A test that needs root (network namespaces, raw capture). Without root it is skipped
/// and says so; scripts/test.sh fails the run when such a test skipped under CI=true, because CI
/// runs as root and must run them.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public const string SkipReason = "needs root (network namespaces and live capture): run the tests with sudo";

    public RootFactAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = SkipReason;
    }
}

public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Privileges.IsRoot)
            Skip = RootFactAttribute.SkipReason;
    }
}

public static class Privileges
{
    /// <summary>Effective user id 0.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;
}
