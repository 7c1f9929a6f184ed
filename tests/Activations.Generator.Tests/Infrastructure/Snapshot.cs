using System.Reflection;

namespace Activations.Generator.Tests.Infrastructure;

/// <summary>
/// Verify's file convention without Verify (not on our package mirror): each snapshot is
/// <c>Snapshots/Name.verified.cs</c>, compared exactly; a mismatch writes <c>Name.received.cs</c> beside it.
/// Set ACTIVATIONS_ACCEPT_SNAPSHOTS=1 to accept the received output.
/// </summary>
internal static class Snapshot
{
    private static readonly string Folder = Path.Combine(
        typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SnapshotProjectDir").Value!,
        "Snapshots");

    public static void Verify(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        string verified = Path.Combine(Folder, name + ".verified.cs");
        string received = Path.Combine(Folder, name + ".received.cs");
        bool accept = Environment.GetEnvironmentVariable("ACTIVATIONS_ACCEPT_SNAPSHOTS") == "1";
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == actual)
        {
            File.Delete(received);
            return;
        }

        if (accept)
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(Folder);
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(verified)
            ? $"Snapshot {name} changed; compare {received} with {verified} (ACTIVATIONS_ACCEPT_SNAPSHOTS=1 accepts it)."
            : $"No snapshot {verified} yet; review {received} and accept it with ACTIVATIONS_ACCEPT_SNAPSHOTS=1.");
    }
}
