namespace Activations.Generator.Tests.Infrastructure;

/// <summary>
/// How much of the randomised testing a run does. `dotnet test Generators.sln` on a developer machine takes
/// the quick sizes (about two minutes on 2 cores); CI, which sets CI=true, and anyone who sets
/// ACTIVATIONS_LONG_RUN=1 get the long run: the same checks over more cases (README, "How it is tested").
/// </summary>
internal static class TestSizes
{
    public static bool IsLongRun { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("ACTIVATIONS_LONG_RUN") == "1";

    /// <summary>Mutated sources pushed through the generator and the analyzer.</summary>
    public static int FuzzMutants => IsLongRun ? 1000 : 100;

    /// <summary>Random activations per seed in the differential tests.</summary>
    public static int ActivationsPerSeed => IsLongRun ? 1000 : 150;

    /// <summary>Whether the child runs on narrower SIMD paths also repeat the large-destination tests (16.7 M elements).</summary>
    public static bool NarrowPathsIncludeLargeDestinations => IsLongRun;
}
