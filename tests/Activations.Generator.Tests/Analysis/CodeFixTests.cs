using Activations.CodeFixes;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using static Activations.Generator.Tests.Analysis.Verifiers;

namespace Activations.Generator.Tests.Analysis;

public class CodeFixTests
{
    [Theory]
    [InlineData("MathF.Max(0f, z)", "MathF.Max(0.01f * z, z)")]
    [InlineData("MathF.Max(z, 0f)", "MathF.Max(z, 0.01f * z)")]
    [InlineData("Math.Max(0f, z)", "Math.Max(0.01f * z, z)")]
    [InlineData("z > 0f ? z : 0f", "z > 0f ? z : 0.01f * z")]
    [InlineData("z <= 0f ? 0f : z", "z <= 0f ? 0.01f * z : z")]
    public async Task The_zero_branch_becomes_a_leaky_slope_in_the_users_spelling(string body, string fixedBody)
    {
        await CodeFix<LeakySlopeCodeFix>(
            $"public static partial class Act\n{{\n    [Activation] public static float {{|ACT001:Relu|}}(float z) => {body};\n}}\n",
            $"public static partial class Act\n{{\n    [Activation] public static float Relu(float z) => {fixedBody};\n}}\n").RunAsync();
    }

    /// <summary>
    /// Spellings with no zero branch to rewrite (or with one that leaves a dead side) get a leak term added to
    /// what they return; the framework re-runs the analyzer on the fixed code, which must compile and have no ACT001.
    /// </summary>
    [Theory]
    [InlineData("0.5f * (z + MathF.Abs(z))", "0.5f * (z + MathF.Abs(z)) + 0.01f * MathF.Min(z, 0f)")]
    [InlineData("MathF.Min(MathF.Max(0f, z), 6f)", "MathF.Min(MathF.Max(0.01f * z, z), 6f) + 0.01f * MathF.Max(z - 6f, 0f)")]
    [InlineData("Math.Clamp(z, -1f, 1f)", "Math.Clamp(z, -1f, 1f) + 0.01f * MathF.Min(z + 1f, 0f) + 0.01f * MathF.Max(z - 1f, 0f)")]
    [InlineData("z * Math.Clamp(z + 3f, 0f, 6f) / 6f", "z * Math.Clamp(z + 3f, 0f, 6f) / 6f + 0.01f * MathF.Min(z + 3f, 0f)")]
    [InlineData("z < 0f ? 0f : z > 6f ? 6f : z", "(z < 0f ? 0.01f * z : z > 6f ? 6f : z) + 0.01f * MathF.Max(z - 6f, 0f)")]
    public async Task Every_spelling_with_ACT001_gets_a_fix_that_removes_it(string body, string fixedBody)
    {
        await CodeFix<LeakySlopeCodeFix>(
            $"public static partial class Act\n{{\n    [Activation] public static float {{|ACT001:Dead|}}(float z) => {body};\n}}\n",
            $"public static partial class Act\n{{\n    [Activation] public static float Dead(float z) => {fixedBody};\n}}\n").RunAsync();
    }

    [Fact]
    public async Task A_zone_that_ends_away_from_zero_gets_a_continuous_leak_term_on_every_return()
    {
        await CodeFix<LeakySlopeCodeFix>(
            """
            public static partial class Act
            {
                [Activation]
                public static double {|ACT001:HardSigmoid|}(double z)
                {
                    double t = z / 6.0 + 0.5;
                    if (t < 0.0) return 0.0;
                    if (t > 1.0) return 1.0;
                    return t;
                }
            }
            """,
            """
            public static partial class Act
            {
                [Activation]
                public static double HardSigmoid(double z)
                {
                    double t = z / 6.0 + 0.5;
                    if (t < 0.0) return 0.0 + 0.01 * Math.Min(z + 3.0, 0.0) + 0.01 * Math.Max(z - 3.0, 0.0);
                    if (t > 1.0) return 1.0 + 0.01 * Math.Min(z + 3.0, 0.0) + 0.01 * Math.Max(z - 3.0, 0.0);
                    return t + 0.01 * Math.Min(z + 3.0, 0.0) + 0.01 * Math.Max(z - 3.0, 0.0);
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Fix_all_converges_in_one_pass_on_spellings_that_need_a_leak_term()
    {
        var test = CodeFix<LeakySlopeCodeFix>(
            """
            public static partial class Act
            {
                [Activation] public static float {|ACT001:Relu6|}(float z) => MathF.Min(MathF.Max(0f, z), 6f);
                [Activation] public static float {|ACT001:HalfAbs|}(float z) => 0.5f * (z + MathF.Abs(z));
                [Activation] public static float {|ACT001:HardTanh|}(float z) => Math.Clamp(z, -1f, 1f);
            }
            """,
            """
            public static partial class Act
            {
                [Activation] public static float Relu6(float z) => MathF.Min(MathF.Max(0.01f * z, z), 6f) + 0.01f * MathF.Max(z - 6f, 0f);
                [Activation] public static float HalfAbs(float z) => 0.5f * (z + MathF.Abs(z)) + 0.01f * MathF.Min(z, 0f);
                [Activation] public static float HardTanh(float z) => Math.Clamp(z, -1f, 1f) + 0.01f * MathF.Min(z + 1f, 0f) + 0.01f * MathF.Max(z - 1f, 0f);
            }
            """);
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task The_if_chains_zero_return_becomes_a_leaky_slope_and_doubles_keep_their_literals()
    {
        await CodeFix<LeakySlopeCodeFix>(
            """
            public static partial class Act
            {
                [Activation]
                public static double {|ACT001:Relu|}(double x)
                {
                    if (x < 0.0) return 0.0;
                    return x;
                }
            }
            """,
            """
            public static partial class Act
            {
                [Activation]
                public static double Relu(double x)
                {
                    if (x < 0.0) return 0.01 * x;
                    return x;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task The_slope_comes_from_editorconfig()
    {
        var test = CodeFix<LeakySlopeCodeFix>(
            "public static partial class Act\n{\n    [Activation] public static float {|#0:Relu|}(float z) => MathF.Max(0f, z);\n}\n",
            "public static partial class Act\n{\n    [Activation] public static float Relu(float z) => MathF.Max(0.2f * z, z);\n}\n",
            editorConfig: "root = true\n\n[*]\nactivations.leaky_slope = 0.2\n");
        test.TestState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("Relu", "for every z ≤ 0", "0.2·z"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_rewrites_every_dead_activation_in_the_solution()
    {
        var test = CodeFix<LeakySlopeCodeFix>(
            """
            public static partial class Act
            {
                [Activation] public static float {|ACT001:A|}(float z) => MathF.Max(0f, z);
                [Activation] public static float {|ACT001:B|}(float z) => z > 0f ? z : 0f;
            }
            """,
            """
            public static partial class Act
            {
                [Activation] public static float A(float z) => MathF.Max(0.01f * z, z);
                [Activation] public static float B(float z) => z > 0f ? z : 0.01f * z;
            }
            """);
        test.TestState.Sources.Add(Usings + "public static partial class More\n{\n    [Activation] public static double {|ACT001:C|}(double z) => Math.Max(z, 0.0);\n}\n");
        test.FixedState.Sources.Add(Usings + "public static partial class More\n{\n    [Activation] public static double C(double z) => Math.Max(z, 0.01 * z);\n}\n");
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_missing_partial_is_added()
    {
        await CodeFix<MakePartialCodeFix>(
            "public static class {|ACT106:Act|}\n{\n    [Activation] public static float Identity(float z) => z;\n}\n",
            "public static partial class Act\n{\n    [Activation] public static float Identity(float z) => z;\n}\n").RunAsync();
    }

    [Fact]
    public void The_fixed_code_compiles_and_its_generated_derivative_at_minus_one_is_the_slope()
    {
        var method = (Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax)Microsoft.CodeAnalysis.CSharp.SyntaxFactory
            .ParseMemberDeclaration("[Activation] public static float Relu(float z) => MathF.Max(0f, z);")!;
        var fixedMethod = LeakySlopeCodeFix.Rewrite(method, 0.05)!;
        string source = Usings + "namespace Fixed;\npublic static partial class Act\n{\n    " + fixedMethod.ToFullString() + "\n}\n";
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        using var loaded = run.Load();
        Assert.Equal(0.05f, (float)loaded.Method("Fixed.Act", "ReluDerivative", 1)(new[] { -1.0 }));
        Assert.Equal(1f, (float)loaded.Method("Fixed.Act", "ReluDerivative", 1)(new[] { 1.0 }));
    }
}
