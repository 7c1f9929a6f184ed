using System.Collections.Immutable;
using Activations.CodeFixes;
using Activations.Generator.Analysis;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Activations.Generator.Tests.Analysis.Verifiers;

namespace Activations.Generator.Tests.Analysis;

/// <summary>ACT002: where the user's scalar body overflows while its true value is finite, and the fix that rewrites it.</summary>
public class StabilityAnalyzerTests
{
    private static string Act(string members) => "public static partial class Act\n{\n" + members + "\n}\n";

    [Theory]
    [InlineData("float", "MathF.Log(1f + MathF.Exp(z))", "overflows to ∞", "z > 88.72", "at z = 1000 it is 1000")]
    [InlineData("double", "Math.Log(1.0 + Math.Exp(z))", "overflows to ∞", "z > 709.8", "at z = 1000 it is 1000")]
    [InlineData("float", "MathF.Log(MathF.Exp(z) + 1f)", "overflows to ∞", "z > 88.72", "at z = 1000 it is 1000")]
    [InlineData("float", "(MathF.Exp(z) - MathF.Exp(-z)) / (MathF.Exp(z) + MathF.Exp(-z))", "is NaN", "z < −88.72 and z > 88.72", "at z = 1000 it is 1")]
    [InlineData("float", "(MathF.Exp(2f * z) - 1f) / (MathF.Exp(2f * z) + 1f)", "is NaN", "z > 44.36", "at z = 1000 it is 1")]
    [InlineData("float", "MathF.Exp(z) / (1f + MathF.Exp(z))", "is NaN", "z > 88.72", "at z = 1000 it is 1")]
    public async Task An_overflowing_subexpression_is_reported_with_its_range_and_true_value(string type, string body, string problem, string range, string trueValue)
    {
        var test = AnalyzerTest(Act($"    [Activation] public static {type} F({type} z) => {{|#0:{body}|}};"));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT002").WithLocation(0).WithArguments(body, problem, range, trueValue));
        await test.RunAsync();
    }

    /// <summary>The warning points at the innermost subexpression that overflows, through locals, with the hyperparameter at its default.</summary>
    [Fact]
    public async Task The_innermost_overflowing_subexpression_is_the_one_reported()
    {
        var test = AnalyzerTest(Act("""
                [Activation]
                public static float Mish(float z, float beta = 1f)
                {
                    float e = MathF.Exp(beta * z);
                    return z * MathF.Tanh({|#0:MathF.Log(1f + e)|} / beta);
                }
            """));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT002").WithLocation(0).WithArguments("MathF.Log(1f + e)", "overflows to ∞", "z > 88.72", "at z = 1000 it is 1000"));
        await test.RunAsync();
    }

    /// <summary>A subexpression is judged only where it runs: each of these overflows alone on the other branch's side.</summary>
    [Theory]
    [InlineData("z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z))")]
    [InlineData("z > 0f ? 1f / (1f + MathF.Exp(-z)) : MathF.Exp(z) / (1f + MathF.Exp(z))")]
    [InlineData("MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)))")]
    public async Task Stable_spellings_with_branches_get_no_warning(string body)
    {
        await VerifyAnalyzerAsync(Act($"    [Activation] public static float F(float z) => {body};"));
        await VerifyAnalyzerAsync(Act($"    [Activation] public static float G(float z)\n    {{\n        if (z >= 0f) return {body};\n        return {body};\n    }}"));
    }

    /// <summary>
    /// Of the catalogue, only the two naive ln(1 + e^z) spellings (softplus and mish's inner softplus) overflow
    /// where the true value is finite; every other entry is a stable spelling and gets no ACT002.
    /// </summary>
    [Fact]
    public async Task In_the_catalogue_only_the_naive_softplus_spellings_are_reported()
    {
        var compilation = GeneratorHarness.Compile(new[] { Catalogue.Source });
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActivationAnalyzer())).GetAnalyzerDiagnosticsAsync();
        var reported = diagnostics.Where(d => d.Id == "ACT002")
            .Select(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().First().Identifier.ValueText)
            .OrderBy(n => n)
            .ToArray();
        Assert.Equal(new[] { "Mish", "Softplus" }, reported);
    }

    /// <summary>Each rewrite: the fixed text, in the user's style, after which the analyzer has nothing to say.</summary>
    [Theory]
    [MemberData(nameof(Rewrites))]
    public async Task The_fix_writes_the_stable_spelling_in_the_users_style(string name, string type, string body, string fixedBody)
    {
        _ = name;
        string marked = body.Replace("«", "{|ACT002:").Replace("»", "|}");
        await CodeFix<StableSpellingCodeFix>(
            Act($"    [Activation] public static {type} F({type} z) => {marked};"),
            Act($"    [Activation] public static {type} F({type} z) => {fixedBody};")).RunAsync();
    }

    [Fact]
    public async Task Fix_all_rewrites_every_method_in_one_pass()
    {
        var test = CodeFix<StableSpellingCodeFix>(
            Act("""
                    [Activation] public static float Softplus(float z) => {|ACT002:MathF.Log(1f + MathF.Exp(z))|};
                    [Activation] public static float Sigmoid(float z) => {|ACT002:MathF.Exp(z) / (1f + MathF.Exp(z))|};
                """),
            Act("""
                    [Activation] public static float Softplus(float z) => z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z));
                    [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
                """));
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    /// <summary>
    /// The fixed code, compiled with the generator: its scalar method is finite at ±100 and ±1000 and matches the
    /// true value, and the span kernel agrees with it (before the fix they differed: the kernel was stable, the
    /// scalar method was ∞ or NaN).
    /// </summary>
    [Theory]
    [MemberData(nameof(Rewrites))]
    public void The_fixed_code_is_finite_and_right_at_the_far_ends(string name, string type, string body, string fixedBody)
    {
        _ = body;
        string source = $"using System;\nusing Activations;\nnamespace Fixed;\npublic static partial class Act\n{{\n    [Activation] public static {type} F({type} z) => {fixedBody};\n}}\n";
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        using var assembly = run.Load();
        var scalar = assembly.Method("Fixed.Act", "F", 1);
        var truth = TrueValues[name];
        double[] points = { -1000, -100, -10, -1, 0, 1, 10, 100, 1000 };
        foreach (double z in points)
        {
            double value = scalar(new[] { z });
            double exact = truth(z);
            Assert.True(double.IsFinite(value), $"{name}({z}) = {value}");
            Assert.True(Math.Abs(value - exact) <= 1e-6 * Math.Max(1, Math.Abs(exact)), $"{name}({z}) = {value:R}, true value {exact:R}");
        }

        if (type == "float")
        {
            float[] z = points.Select(p => (float)p).ToArray();
            float[] kernel = new float[z.Length];
            assembly.Span<SpanMap<float>>("Fixed.Act", "F")(z, kernel);
            for (int i = 0; i < z.Length; i++)
            {
                double value = scalar(new double[] { z[i] });
                Assert.True(Math.Abs(kernel[i] - value) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"kernel {name}({z[i]}) = {kernel[i]:R}, scalar {value:R}");
            }
        }
    }

    private static readonly Dictionary<string, Func<double, double>> TrueValues = new()
    {
        ["softplus"] = Catalogue.Softplus,
        ["softplus double"] = Catalogue.Softplus,
        ["tanh"] = Math.Tanh,
        ["sigmoid"] = Catalogue.Sigmoid,
        ["mish"] = z => z * Math.Tanh(Catalogue.Softplus(z)),
    };

    public static TheoryData<string, string, string, string> Rewrites => new()
    {
        { "softplus", "float", "«MathF.Log(1f + MathF.Exp(z))»", "z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z))" },
        { "softplus double", "double", "«Math.Log(1.0 + Math.Exp(z))»", "z >= 0.0 ? z + Math.Log(1.0 + Math.Exp(-z)) : Math.Log(1.0 + Math.Exp(z))" },
        { "tanh", "float", "«(MathF.Exp(z) - MathF.Exp(-z)) / (MathF.Exp(z) + MathF.Exp(-z))»", "z >= 0f ? (1f - MathF.Exp(-2f * z)) / (1f + MathF.Exp(-2f * z)) : (-1f + MathF.Exp(2f * z)) / (1f + MathF.Exp(2f * z))" },
        { "sigmoid", "float", "«MathF.Exp(z) / (1f + MathF.Exp(z))»", "1f / (1f + MathF.Exp(-z))" },
        { "mish", "float", "z * MathF.Tanh(«MathF.Log(1f + MathF.Exp(z))»)", "z * MathF.Tanh(z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z)))" },
    };
}
