using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>The same function spelled differently gets the same derivative, kinks included.</summary>
public class SpellingTests
{
    private const string Source = """
        using System;
        using Activations;

        namespace Spellings;

        public static partial class Relu
        {
            [Activation] public static float MaxZeroFirst(float z) => MathF.Max(0f, z);
            [Activation] public static float MaxZeroLast(float z) => MathF.Max(z, 0f);
            [Activation] public static float Ternary(float z) => z > 0f ? z : 0f;
            [Activation] public static float IfChain(float z)
            {
                if (z < 0f) return 0f;
                return z;
            }
            [Activation] public static float HalfSumWithAbs(float z) => 0.5f * (z + MathF.Abs(z));
            [Activation] public static float GenericMath(float z) => float.Max(z, 0f);
            [Activation] public static double DoubleMax(double z) => Math.Max(0.0, z);
            [Activation] public static double DoubleIfElse(double z)
            {
                if (z >= 0.0) { return z; } else { return 0.0; }
            }
        }

        public static partial class Sigmoid
        {
            [Activation] public static double Reciprocal(double z) => 1 / (1 + Math.Exp(-z));
            [Activation] public static double Ratio(double z) => Math.Exp(z) / (1 + Math.Exp(z));
            [Activation] public static double ThroughTanh(double z) => 0.5 * (1 + Math.Tanh(z / 2));
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() => GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Source }, GeneratorHarness.CurrentRuntime)).Load());

    public static TheoryData<string> ReluSpellings => new("MaxZeroFirst", "MaxZeroLast", "Ternary", "IfChain", "HalfSumWithAbs", "GenericMath", "DoubleMax", "DoubleIfElse");

    [Theory]
    [MemberData(nameof(ReluSpellings))]
    public void Every_relu_spelling_has_derivative_0_at_the_kink_and_a_from_output_form(string name)
    {
        var derivative = Loaded.Value.Method("Spellings.Relu", name + "Derivative", 1);
        var fromOutput = Loaded.Value.Method("Spellings.Relu", name + "DerivativeFromOutput", 1);
        Assert.Equal(0.0, derivative(new[] { -1.0 }));
        Assert.Equal(0.0, derivative(new[] { 0.0 }));
        Assert.Equal(1.0, derivative(new[] { 1.0 }));
        Assert.Equal(0.0, fromOutput(new[] { 0.0 }));
        Assert.Equal(1.0, fromOutput(new[] { 2.0 }));
    }

    [Theory]
    [InlineData("Reciprocal")]
    [InlineData("Ratio")]
    [InlineData("ThroughTanh")]
    public void Every_sigmoid_spelling_finds_y_times_one_minus_y(string name)
    {
        var fromOutput = Loaded.Value.Method("Spellings.Sigmoid", name + "DerivativeFromOutput", 1);
        var derivative = Loaded.Value.Method("Spellings.Sigmoid", name + "Derivative", 1);
        foreach (double y in new[] { 0.0, 0.1, 0.5, 0.9, 1.0 })
        {
            Assert.Equal(y * (1 - y), fromOutput(new[] { y }), 15);
        }

        foreach (double z in new[] { -30.0, -1.0, 0.0, 2.0, 30.0 })
        {
            double s = Catalogue.Sigmoid(z);
            Assert.Equal(s * (1 - s), derivative(new[] { z }), 12);
        }
    }

    [Fact]
    public void Mish_derivative_has_no_exp_over_one_plus_exp()
    {
        var run = GeneratorHarness.Run(Catalogue.Source);
        string mish = run.Source(".Act.Mish.");
        Assert.DoesNotContain("Exp(z) / (1f + global::System.MathF.Exp(z))", mish);
        Assert.Contains("Exp(-z)", mish);
    }
}
