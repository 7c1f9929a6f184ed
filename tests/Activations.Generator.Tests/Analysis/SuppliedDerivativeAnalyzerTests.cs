using System.Collections.Immutable;
using Activations.Generator.Analysis;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Activations.Generator.Tests.Analysis.Verifiers;

namespace Activations.Generator.Tests.Analysis;

/// <summary>ACT004 (a supplied derivative that disagrees), ACT114 (one that supplies nothing), and ACT001 through supplied derivatives.</summary>
public class SuppliedDerivativeAnalyzerTests
{
    private static string Act(string members) => "public static partial class Act\n{\n" + members + "\n}\n";

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string members)
    {
        var compilation = GeneratorHarness.Compile(new[] { Usings + Act(members) }, GeneratorHarness.CurrentRuntime);
        var analyzed = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActivationAnalyzer()));
        return await analyzed.GetAnalyzerDiagnosticsAsync();
    }

    [Theory]
    [InlineData("public static float Softplus(float z) => MathF.Log(1f + MathF.Exp(z));", "SoftplusSlope(float z) => 1f / (1f + MathF.Exp(-z))")]
    [InlineData("public static float Helper(float x, float k = 3f) => x * x * k;", "HelperSlope(float x, float k = 3f) => 2f * x * k")]
    [InlineData("[Activation] public static float Swish(float z) => z / (1f + MathF.Exp(-z));", "SwishSlope(float z) => 1f / (1f + MathF.Exp(-z)) + z * MathF.Exp(-z) / ((1f + MathF.Exp(-z)) * (1f + MathF.Exp(-z)))")]
    public async Task A_right_derivative_gets_no_warning(string function, string derivative)
    {
        string of = function.Split('(')[0].Split(' ').Last();
        var diagnostics = await AnalyzeAsync($"    {function}\n    [Derivative(nameof({of}))] public static float {derivative};");
        Assert.DoesNotContain(diagnostics, d => d.Id is "ACT004" or "ACT114");
    }

    [Fact]
    public async Task A_wrong_derivative_is_reported_with_the_points_and_both_values()
    {
        var diagnostics = await AnalyzeAsync("""
                public static float Softplus(float z) => MathF.Log(1f + MathF.Exp(z));
                [Derivative(nameof(Softplus))] public static float SoftplusSlope(float z) => 1f / (1f + MathF.Exp(z));
            """);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "ACT004");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("SoftplusSlope", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        string message = diagnostic.GetMessage();
        Assert.StartsWith("'SoftplusSlope' is supplied as the derivative of 'Softplus' but disagrees with central differences of 'Softplus': at z = -4.1 it gives 0.983698, the central difference 0.0163025; at z = -2.3 it gives 0.908877", message, StringComparison.Ordinal);
        Assert.EndsWith("; and at 5 more points", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_from_output_derivative_is_reported_and_a_right_one_is_not()
    {
        var wrong = await AnalyzeAsync("""
                [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
                [Derivative(nameof(Sigmoid), FromOutput = true)] public static float SigmoidSlope(float y) => y * (1f + y);
            """);
        Assert.Contains("is supplied as the from-output derivative of 'Sigmoid'", Assert.Single(wrong, d => d.Id == "ACT004").GetMessage(), StringComparison.Ordinal);

        var right = await AnalyzeAsync("""
                [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
                [Derivative(nameof(Sigmoid), FromOutput = true)] public static float SigmoidSlope(float y) => y * (1f - y);
            """);
        Assert.DoesNotContain(right, d => d.Id == "ACT004");
    }

    /// <summary>A body the analyzer cannot evaluate (a loop) is not checked: no warning either way.</summary>
    [Fact]
    public async Task A_derivative_outside_the_subset_is_not_checked()
    {
        var diagnostics = await AnalyzeAsync("""
                public static float Twice(float x) => 2f * x;
                [Derivative(nameof(Twice))] public static float TwiceSlope(float x) { float s = 0f; for (int i = 0; i < 3; i++) s += 1f; return s; }
            """);
        Assert.DoesNotContain(diagnostics, d => d.Id is "ACT004" or "ACT114");
    }

    [Theory]
    [InlineData("[Derivative(\"Missing\")] public static float {|#0:Slope|}(float z) => 1f;", "Missing", "'Act' has no method 'Missing'")]
    [InlineData("public static float F(float z) => z;\n    [Derivative(nameof(F))] public static double {|#0:Slope|}(double z) => 1.0;", "F", "'Slope' must be static, not generic, and take and return what 'F' does; no 'F(double)' returning double was found")]
    [InlineData("public static float F(float z) => z;\n    [Derivative(nameof(F), FromOutput = true)] public static float {|#0:Slope|}(float y) => 1f;", "F", "FromOutput = true is for [Activation] methods, and 'F' is not one")]
    [InlineData("public static float F(float z) => z;\n    [Derivative(nameof(F))] public static float A(float z) => 1f;\n    [Derivative(nameof(F))] public static float {|#0:B|}(float z) => 1f;", "F", "'A' already supplies the derivative of 'F'; only one is used")]
    public async Task A_derivative_that_supplies_nothing_is_an_error(string members, string of, string problem)
    {
        var test = AnalyzerTest(Act("    " + members));
        string name = members.Contains("{|#0:B|}", StringComparison.Ordinal) ? "B" : "Slope";
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ACT114").WithLocation(0).WithArguments(of, name, problem));
        await test.RunAsync();
    }

    /// <summary>
    /// ACT001 reads the supplied derivative: a straight-through estimator is not dead (and, being no derivative of
    /// the step on purpose, gets ACT004, which its author suppresses); a supplied zero slope is dead.
    /// </summary>
    [Fact]
    public async Task ACT001_uses_the_supplied_derivative()
    {
        var estimator = AnalyzerTest(Act("""
                [Activation] public static float Step(float z) => z > 0f ? 1f : 0f;
                [Derivative(nameof(Step))] public static float {|#0:StepStraightThrough|}(float z) => 1f;
            """));
        estimator.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT004").WithLocation(0).WithArguments("StepStraightThrough", string.Empty, "Step", "at z = -4.1 it gives 1, the central difference 0; at z = -2.3 it gives 1, the central difference 0; at z = -0.7 it gives 1, the central difference 0; and at 5 more points"));
        await estimator.RunAsync();

        await VerifyAnalyzerAsync(Act("""
                [Activation] public static float Step(float z) => z > 0f ? 1f : 0f;
            #pragma warning disable ACT004 // a straight-through estimator, on purpose
                [Derivative(nameof(Step))] public static float StepStraightThrough(float z) => 1f;
            #pragma warning restore ACT004
            """));

        var test = AnalyzerTest(Act("""
                public static float Ramp(float x) => x > 0f ? x : 0.1f * x;
                [Derivative(nameof(Ramp))] public static float {|#1:RampSlope|}(float x) => x > 0f ? 1f : 0f;
                [Activation] public static float {|#0:Leaky|}(float z) => Ramp(z);
            """));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("Leaky", "for every z ≤ 0", "0.01·z"));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT004").WithLocation(1).WithArguments("RampSlope", string.Empty, "Ramp", "at x = -4.1 it gives 0, the central difference 0.1; at x = -2.3 it gives 0, the central difference 0.1; at x = -0.7 it gives 0, the central difference 0.1; and at 1 more points"));
        await test.RunAsync();
    }
}

/// <summary>ACT001 on activations that train: the first input is the one it reasons about; a learnable slope is not zero.</summary>
public class TrainingAnalyzerTests
{
    [Fact]
    public async Task A_learnable_slope_is_no_dead_zone_and_a_relu_gate_is()
    {
        var test = AnalyzerTest("""
            public static partial class Act
            {
                [Activation] public static float PRelu(float z, [Learnable] float alpha = 0.25f) => z > 0f ? z : alpha * z;
                [Activation] public static float {|#0:ReGlu|}(float gate, [Input] float up) => MathF.Max(0f, gate) * up;
            }
            """);
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("ReGlu", "for every gate ≤ 0", "0.01·gate"));
        await test.RunAsync();
    }
}
