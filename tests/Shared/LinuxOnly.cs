// The tests are Linux's as the tool is (its assembly says so): namespaces, packet sockets,
// Unix sockets and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
