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
        test.TestState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("Relu", "for every z ≤ 0", "0.01·z"));
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
