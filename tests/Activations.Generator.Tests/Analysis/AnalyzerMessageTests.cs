using Microsoft.CodeAnalysis.Testing;
using static Activations.Generator.Tests.Analysis.Verifiers;

namespace Activations.Generator.Tests.Analysis;

/// <summary>What the analyzer says about options and misplaced attributes, and that it says it once.</summary>
public class AnalyzerMessageTests
{
    private const string Relu = "public static partial class Act\n{\n    [Activation] public static float {|#0:Relu|}(float z) => MathF.Max(0f, z);\n}\n";

    [Theory]
    [InlineData("abc")]
    [InlineData("-0.5")]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("0,2")]
    public async Task A_leaky_slope_that_is_not_a_number_in_0_to_1_is_reported_with_the_file_and_value(string value)
    {
        var test = AnalyzerTest(Relu, "root = true\n\n[*]\nactivations.leaky_slope = " + value + "\n");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT003").WithLocation(0)
            .WithArguments(value, "activations.leaky_slope", "Test0.cs", "a number between 0 and 1 (exclusive, with '.' as the decimal point)", "0.01"));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("Relu", "for every z ≤ 0", "0.01·z"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("0.2", "0.2·z")]
    [InlineData(" 0.05 ", "0.05·z")]
    public async Task ACT001_suggests_the_slope_the_option_sets(string value, string suggestion)
    {
        var test = AnalyzerTest(Relu, "root = true\n\n[*]\nactivations.leaky_slope = " + value + "\n");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments("Relu", "for every z ≤ 0", suggestion));
        await test.RunAsync();
    }

    [Fact]
    public async Task Activation_on_a_lambda_or_a_local_function_is_reported_instead_of_ignored()
    {
        await VerifyAnalyzerAsync("""
            public static class Holder
            {
                public static Func<float, float> Make() => {|ACT109:Activation|}(float z) => MathF.Max(0f, z);

                public static float Outer(float x)
                {
                    return Local(x);

                    [{|ACT109:Activation|}] static float Local(float z) => z * z;
                }
            }
            """.Replace("{|ACT109:Activation|}(float z)", "[{|ACT109:Activation|}] (float z)"));
    }

    [Fact]
    public async Task A_generic_activation_gets_one_message_that_says_generic_is_not_supported_yet()
    {
        var test = AnalyzerTest("public static partial class Act\n{\n    [Activation] public static T {|#0:Relu|}<T>(T z) => z;\n}\n", null);
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ACT104").WithLocation(0)
            .WithArguments("Relu", "non-generic: generic activations are not supported yet; declare it for float (or double) instead"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("public static void {|#0:Softmax|}(ReadOnlySpan<float> z, Span<float> destination) { }")]
    [InlineData("public static float[] {|#0:Softmax|}(float[] z) => z;")]
    public async Task A_span_or_array_activation_is_told_that_activations_are_elementwise(string method)
    {
        var test = AnalyzerTest("public static partial class Act\n{\n    [Activation] " + method + "\n}\n", null);
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ACT104").WithLocation(0)
            .WithArguments("Softmax", "elementwise, 'float Name(float z, …)' on one value: the span members are generated from it. A function that couples the elements of a span, such as softmax, cannot be an [Activation]"));
        await test.RunAsync();
    }
}
