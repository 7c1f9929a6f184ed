using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Activations.Generator.Tests;

/// <summary>
/// Every bad input gets its diagnostic at the offending node; that one method is skipped and every
/// other method in the same type still generates. No exception ever reaches the compiler.
/// </summary>
public class DiagnosticTests
{
    [Theory]
    [InlineData("ACT101", "for (int i = 0; i < 3; i++) { z = z * 0.5f; }", "for (int i = 0; i < 3; i++) { z = z * 0.5f; }", "A 'for' loop")]
    [InlineData("ACT101", "float s = z; while (s > 1f) { s = s * 0.5f; }", "while (s > 1f) { s = s * 0.5f; }", "loop")]
    [InlineData("ACT101", "return z switch { > 0f => z, _ => 0f };", "z switch { > 0f => z, _ => 0f }", "switch")]
    [InlineData("ACT101", "return z + Half;", "Half", "non-constant field 'Half'")]
    [InlineData("ACT101", "int n = 3; return z * (n / 2);", "n / 2", "Arithmetic on 'int'")]
    [InlineData("ACT101", "return (int)z;", "(int)z", "conversion to 'int'")]
    [InlineData("ACT108", "z = z * 2f; return z;", "z = z * 2f", "parameter 'z'")]
    [InlineData("ACT102", "return MathF.Round(z);", "MathF.Round(z)", "MathF.Round")]
    [InlineData("ACT102", "return Helper(z);", "Helper(z)", "Act.Helper")]
    [InlineData("ACT103", "return Bad(z * 0.5f);", "Bad(z * 0.5f)", "calls itself")]
    public void Unsupported_body_constructs_are_reported_at_the_node(string id, string body, string node, string messagePart)
    {
        var run = RunWithGoodNeighbour($$"""
            private static float Half = 0.5f;
            private static float Helper(float x) => x;
            [Activation] public static float Bad(float z) { {{body}} }
            """);
        AssertReported(run, id, node, messagePart);
    }

    [Theory]
    [InlineData("ACT107", "[Activation] public static float Bad(float z) => z; public static float BadDerivative(float z) => 1f;", "Bad", "BadDerivative")]
    [InlineData("ACT107", "[Activation] public static float Bad(float z) => z; public static int BadDerivativeFromOutput;", "Bad", "BadDerivativeFromOutput")]
    [InlineData("ACT111", "[Activation] public static float Bad(float z) => Scaled(z, z);", "z", "hyperparameter 'alpha'")]
    public void Signature_problems_are_reported_at_the_declaration(string id, string members, string node, string messagePart)
    {
        var run = RunWithGoodNeighbour(members + "\n[Activation] public static float Scaled(float z, float alpha) => alpha * z;");
        AssertReported(run, id, node, messagePart);
    }

    /// <summary>ACT104–ACT106 come from the analyzer while typing (see DeadNeuronAnalyzerTests); the generator only skips.</summary>
    [Theory]
    [InlineData("[Activation] public float Bad(float z) => z;")]
    [InlineData("[Activation] public static T Bad<T>(T z) => z;")]
    [InlineData("[Activation] public static float Bad(ref float z) => z;")]
    [InlineData("[Activation] public static float Bad(float z, out float w) { w = 0f; return z; }")]
    [InlineData("[Activation] public static int Bad(int z) => z;")]
    [InlineData("[Activation] public static float Bad(float z, int n) => z * n;")]
    [InlineData("[Activation] public static float Bad(float z, double w) => z;")]
    public void Shape_problems_are_skipped_by_the_generator_and_left_to_the_analyzer(string members)
    {
        var run = RunWithGoodNeighbour(members);
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains("Act.Bad."));
        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Good."));
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void A_type_that_is_not_partial_is_skipped_and_the_others_generate()
    {
        var run = GeneratorHarness.Run("""
            using Activations;
            public static class Plain
            {
                [Activation] public static float Identity(float z) => z;
            }
            public static partial class Fine
            {
                [Activation] public static float Square(float z) => z * z;
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains(run.Sources, s => s.HintName.Contains("Fine.Square"));
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains("Plain"));
    }

    [Fact]
    public void Mutual_recursion_is_reported_on_both_methods()
    {
        var run = RunWithGoodNeighbour("""
            [Activation] public static float Ping(float z) => Pong(z) * 0.5f;
            [Activation] public static float Pong(float z) => Ping(z) + 1f;
            """);
        var recursion = run.GeneratorDiagnostics.Where(d => d.Id == "ACT103").ToList();
        Assert.Equal(2, recursion.Count);
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains(".Ping.") || s.HintName.Contains(".Pong."));
    }

    [Fact]
    public void Calling_an_activation_that_failed_is_reported_on_the_caller()
    {
        var run = RunWithGoodNeighbour("""
            [Activation] public static float Broken(float z) => MathF.Round(z);
            [Activation] public static float Caller(float z) => 2f * Broken(z);
            """);
        AssertReported(run, "ACT110", "Caller", "'Broken'");
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains(".Caller."));
    }

    [Fact]
    public void Every_descriptor_has_a_help_page()
    {
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var ids = typeof(ActivationGenerator).Assembly.GetType("Activations.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().ToList();
        Assert.NotEmpty(ids);
        foreach (var descriptor in ids)
        {
            Assert.EndsWith($"docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md")), descriptor.Id + " has no page");
        }
    }

    private static GeneratorRun RunWithGoodNeighbour(string members) => GeneratorHarness.Run($$"""
        using System;
        using Activations;

        public partial class Act
        {
            [Activation] public static float Good(float z) => 1f / (1f + MathF.Exp(-z));

        {{members}}
        }
        """);

    private static void AssertReported(GeneratorRun run, string id, string node, string messagePart, string goodMethod = "Act.Good.")
    {
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        // Generator diagnostics carry a file path and span (a pipeline value cannot hold the syntax tree).
        var tree = run.Output.SyntaxTrees.Single(t => t.FilePath == diagnostic.Location.GetLineSpan().Path);
        string located = tree.GetText().ToString(diagnostic.Location.SourceSpan);
        Assert.Equal(node, located);
        Assert.Contains(messagePart, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(run.Sources, s => s.HintName.Contains(goodMethod));
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id is "CS8785" or "AD0001");
    }
}
