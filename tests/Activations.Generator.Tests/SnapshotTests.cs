using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>The generated source of every catalogue entry, kept as reviewed <c>*.verified.cs</c> files.</summary>
public class SnapshotTests
{
    private static readonly GeneratorRun Run = GeneratorHarness.Run(Catalogue.Source);

    public static TheoryData<string> EntryNames => new(Catalogue.Entries.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Generated_source_matches_the_snapshot(string name) =>
        Snapshot.Verify(name, Run.Source($".Act.{name}."));

    [Fact]
    public void Nested_generic_types_in_a_namespace_get_matching_partial_declarations()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;

            namespace Deep.Space;

            public partial class Outer<T>
            {
                internal static partial class Inner
                {
                    [Activation] internal static double Square(double x) => x * x;
                }
            }
            """);
        Assert.Empty(run.CompilationErrors);
        Snapshot.Verify("NestedGeneric", run.Source("Square"));
    }
}
