using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Activations.Generator.Tests;

/// <summary>
/// <c>[Derivative(nameof(F))]</c>: helpers the generator cannot differentiate (an exact GELU through a normal CDF
/// computed with loops), helpers it can read (kernels inline them), and activations that override their own
/// derivative or its from-output form.
/// </summary>
public sealed class SuppliedDerivativeTests : IClassFixture<SuppliedDerivativeTests.Compiled>
{
    /// <summary>Φ(z) in double arithmetic, rounded once: a series below 2, a continued fraction above (loops: not in the subset).</summary>
    internal const string NormalCdfSource = """
            public static float NormalCdf(float z)
            {
                double x = -z * 0.7071067811865476;
                return (float)(x < 0 ? 1 - 0.5 * ErfcOfPositive(-x) : 0.5 * ErfcOfPositive(x));
            }

            private static double ErfcOfPositive(double x)
            {
                if (x < 2)
                {
                    double term = x, sum = x;
                    for (int n = 1; n < 60 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
                    {
                        term *= -x * x / n;
                        sum += term / (2 * n + 1);
                    }

                    return 1 - 1.1283791670955126 * sum;
                }

                if (x > 10)
                {
                    return 0;
                }

                double fraction = x;
                for (int n = 60; n >= 1; n--)
                {
                    fraction = x + n / 2.0 / fraction;
                }

                return Math.Exp(-x * x) / (fraction * 1.7724538509055160);
            }
        """;

    private const string ActivationsSource = """
        using System;
        using Activations;

        namespace Supplied;

        public static partial class Act
        {
        """ + NormalCdfSource + """

            [Derivative(nameof(NormalCdf))]
            public static float NormalPdf(float z) => (float)(0.3989422804014327 * Math.Exp(-0.5 * z * z));

            /// <summary>The exact GELU, z·Φ(z).</summary>
            [Activation(SecondDerivative = true)] public static float Gelu(float z) => z * NormalCdf(z);

            /// <summary>Abramowitz–Stegun 7.1.26: in the supported subset, so the kernels compute it inline.</summary>
            public static float ErfApprox(float x)
            {
                float t = 1f / (1f + 0.3275911f * MathF.Abs(x));
                float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
                return MathF.Sign(x) * (1f - poly * MathF.Exp(-x * x));
            }

            [Derivative(nameof(ErfApprox))]
            public static float ErfApproxDerivative(float x) => 1.1283791670955126f * MathF.Exp(-x * x);

            [Activation] public static float GeluApprox(float z) => 0.5f * z * (1f + ErfApprox(0.70710677f * z));

            // An activation's own derivative: readable (it is the generated one then), or a loop (called as written).
            [Activation] public static float Softplus(float z) => z > 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z));

            [Derivative(nameof(Softplus))] public static float SoftplusSlope(float z) => 1f / (1f + MathF.Exp(-z));

            [Activation] public static float Square(float z) => z * z;

            [Derivative(nameof(Square))]
            public static float SquareSlope(float z)
            {
                float sum = 0f;
                for (int i = 0; i < 2; i++) sum += z;
                return sum;
            }

            // The from-output form only, with a hyperparameter.
            [Activation] public static float Sigmoid(float z, float beta = 2f) => 1f / (1f + MathF.Exp(-beta * z));

            [Derivative(nameof(Sigmoid), FromOutput = true)] public static float SigmoidSlopeFromOutput(float y, float beta = 2f) => beta * y * (1f - y);

            // A straight-through estimator: the step's derivative is 0 almost everywhere, the supplied one is 1.
            [Activation] public static float Step(float z) => z > 0f ? 1f : 0f;

            [Derivative(nameof(Step))] public static float StepStraightThrough(float z) => 1f;
        }
        """;

    private readonly Compiled compiled;

    public SuppliedDerivativeTests(Compiled compiled) => this.compiled = compiled;

    private static readonly float[] Grid = Enumerable.Range(-1000, 2001).Select(i => i * 0.01f)
        .Concat(new[] { -1000f, -100f, -40f, -14f, 14f, 40f, 100f, 1000f }).ToArray();

    /// <summary>erfc by Simpson's rule on [x, x + 9] in double (an independent reference): relative error below 1e-9 up to x = 10.</summary>
    private static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        const int intervals = 9_000;
        double h = 9.0 / intervals, sum = 0;
        for (int i = 0; i <= intervals; i++)
        {
            double t = x + i * h;
            double weight = i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2;
            sum += weight * Math.Exp(-t * t);
        }

        return sum * h / 3 * 2 / Math.Sqrt(Math.PI);
    }

    private static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Pdf(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary>The smallest normal float, 2^−126: below it ULP stop being relative.</summary>
    private const double SmallestNormal = 1.1754943508222875e-38;

    /// <summary>|actual − expected| in ULP of float at <paramref name="scale"/> (the expected value itself, unless given).</summary>
    private static double Ulps(double actual, double expected, double? scale = null)
    {
        float magnitude = MathF.Abs((float)(scale ?? expected));
        double ulp = MathF.BitIncrement(magnitude) - magnitude;
        return Math.Abs(actual - expected) / ulp;
    }

    [Fact]
    public void The_exact_gelu_and_its_derivative_are_within_4_ulp_of_a_double_reference()
    {
        var gelu = compiled.Method("Gelu", 1);
        var derivative = compiled.Method("GeluDerivative", 1);
        double worstForward = 0, worstDerivative = 0;
        foreach (float z in Grid)
        {
            double cdf = Cdf(z), slope = cdf + z * Pdf(z);
            if (Math.Abs(z * cdf) >= SmallestNormal)
            {
                worstForward = Math.Max(worstForward, Ulps(gelu(new double[] { z }), z * cdf)); // in float's normal range
            }

            // Φ + zφ cancels around its zero at −0.7518; there the error is measured against the larger term.
            double actual = derivative(new double[] { z });
            if (Math.Abs(slope) < SmallestNormal)
            {
                continue;
            }

            double error = Math.Abs(z + 0.7518) > 0.25 ? Ulps(actual, slope) : Ulps(actual, slope, Math.Max(Math.Abs(cdf), Math.Abs(z * Pdf(z))));
            worstDerivative = Math.Max(worstDerivative, error);
        }

        Assert.True(worstForward <= 4, $"GELU: {worstForward:F2} ULP");
        Assert.True(worstDerivative <= 4, $"GELU′: {worstDerivative:F2} ULP");
    }

    [Fact]
    public void The_derivative_calls_the_supplied_one_and_the_second_derivative_differentiates_its_body()
    {
        string source = compiled.Source("Gelu");
        Assert.Contains("NormalPdf(z)", source, StringComparison.Ordinal);
        var second = compiled.Method("GeluSecondDerivative", 1);
        foreach (float z in Grid)
        {
            double actual = second(new double[] { z });
            double expected = Pdf(z) * (2 - (double)z * z);
            Assert.True(double.IsFinite(actual), $"GELU″({z}) = {actual}");
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"GELU″({z}) = {actual:R}, true {expected:R}");
        }
    }

    /// <summary>Kernels over a helper outside the subset call it lane by lane: they equal the scalar members exactly.</summary>
    [Fact]
    public void Kernels_over_a_helper_outside_the_subset_equal_the_scalar_members()
    {
        var scalar = compiled.Method("GeluDerivative", 1);
        var kernel = compiled.Assembly.Span<SpanMap<float>>("Supplied.Act", "GeluDerivative");
        float[] destination = new float[Grid.Length];
        kernel(Grid, destination);
        for (int i = 0; i < Grid.Length; i++)
        {
            Assert.Equal((float)scalar(new double[] { Grid[i] }), destination[i]);
        }
    }

    /// <summary>A helper in the subset is inlined into vector kernels, and its supplied derivative into the derivative's.</summary>
    [Fact]
    public void Kernels_over_a_helper_in_the_subset_compute_it_inline()
    {
        string source = compiled.Source("GeluApprox");
        Assert.Contains("ErfApproxDerivative(0.70710677f * z)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("public float Apply(float z) => GeluApprox(z);\n\n        [MethodImpl", source.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains("Vector512<float> Apply(Vector512<float> z)", source, StringComparison.Ordinal);
        foreach (string name in new[] { "GeluApprox", "GeluApproxDerivative" })
        {
            var scalar = compiled.Method(name, 1);
            float[] destination = new float[Grid.Length];
            compiled.Assembly.Span<SpanMap<float>>("Supplied.Act", name)(Grid, destination);
            for (int i = 0; i < Grid.Length; i++)
            {
                double expected = scalar(new double[] { Grid[i] });
                Assert.True(Math.Abs(destination[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{name} kernel at {Grid[i]} = {destination[i]:R}, scalar {expected:R}");
            }
        }
    }

    [Fact]
    public void An_activation_can_supply_its_own_derivative_readable_or_not()
    {
        var softplus = compiled.Method("SoftplusDerivative", 1);
        var slope = compiled.Method("SoftplusSlope", 1);
        var square = compiled.Method("SquareDerivative", 1);
        foreach (float z in Grid)
        {
            Assert.Equal(slope(new double[] { z }), softplus(new double[] { z }), 6);
            Assert.Equal(2.0 * z, square(new double[] { z }), 3);
        }

        // Readable: a formula as the generator's own are; a loop: a call, documented as such.
        Assert.Contains("g′(z) = 1/(1 + e^(−z))", compiled.Source("Softplus"), StringComparison.Ordinal);
        Assert.Contains("<summary>The derivative of <see cref=\"Square(float)\"/>, as <see cref=\"SquareSlope(float)\"/> supplies it.</summary>", compiled.Source("Square"), StringComparison.Ordinal);
        Assert.Contains("=> SquareSlope(z);", compiled.Source("Square"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_supplied_from_output_form_replaces_the_one_found_and_keeps_its_hyperparameter()
    {
        var fromOutput = compiled.Method("SigmoidDerivativeFromOutput", 2);
        var backward = compiled.Assembly.Span<SpanBackwardWith<float>>("Supplied.Act", "SigmoidBackwardFromOutput");
        float[] y = { 0.1f, 0.5f, 0.9f }, grad = { 1f, 2f, 3f }, result = new float[3];
        backward(y, grad, result, 3f);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(3.0 * y[i] * (1 - y[i]), fromOutput(new double[] { y[i], 3 }), 6);
            Assert.Equal(grad[i] * 3.0 * y[i] * (1 - y[i]), result[i], 5);
        }
    }

    [Fact]
    public void A_straight_through_estimator_is_the_derivative()
    {
        var derivative = compiled.Method("StepDerivative", 1);
        Assert.All(new[] { -3.0, 0.0, 2.0 }, z => Assert.Equal(1.0, derivative(new[] { z })));
    }

    [Fact]
    public void A_second_derivative_through_a_supplied_derivative_outside_the_subset_gets_ACT113()
    {
        string source = """
            using System;
            using Activations;
            public static partial class Act
            {
                public static float Odd(float x) { float s = 0f; for (int i = 0; i < 3; i++) s += x; return s * x * x / 3f; }

                [Derivative(nameof(Odd))] public static float OddSlope(float x) { float s = 0f; for (int i = 0; i < 3; i++) s += x * x; return s; }

                [Activation(SecondDerivative = true)] public static float Cube(float z) => Odd(z);
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("ACT113", diagnostic.Id);
        Assert.Contains("'Odd', whose supplied derivative 'OddSlope' has a body outside the subset", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.CompilationErrors);
        using var loaded = run.Load();
        Assert.Equal(12.0, loaded.Method("Act", "CubeDerivative", 1)(new[] { 2.0 }), 4);
    }

    /// <summary>A helper's derivative is read on every run: editing it in another file regenerates its callers.</summary>
    [Fact]
    public void Editing_a_supplied_derivative_in_another_file_regenerates_its_callers()
    {
        static string Helper(string derivative) => $$"""
            using System;
            using Activations;
            public static partial class Act
            {
                public static float Helper(float x) => 2f * x;
                [Derivative(nameof(Helper))] public static float HelperSlope(float x) => {{derivative}};
            }
            """;
        const string caller = """
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Twice(float z) => Helper(z) * z;
            }
            """;
        var compilation = GeneratorHarness.Compile(new[] { caller, Helper("2f") }, GeneratorHarness.CurrentRuntime);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ActivationGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGenerators(compilation);
        string before = driver.GetRunResult().GeneratedTrees.Single().ToString();

        var oldTree = compilation.SyntaxTrees.ElementAt(1);
        var edited = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(Helper("3f"), GeneratorHarness.ParseOptions, oldTree.FilePath));
        driver = driver.RunGenerators(edited);
        string after = driver.GetRunResult().GeneratedTrees.Single().ToString();

        // The derivative kernel inlines the supplied body: the edit shows, and equals what a fresh run generates.
        Assert.NotEqual(before, after);
        var fresh = CSharpGeneratorDriver.Create(new[] { new ActivationGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions).RunGenerators(edited);
        Assert.Equal(fresh.GetRunResult().GeneratedTrees.Single().ToString(), after);
    }

    /// <summary>The activations above, compiled with their generated code.</summary>
    public sealed class Compiled : IDisposable
    {
        private readonly Dictionary<string, string> sources;

        public Compiled()
        {
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { ActivationsSource }, GeneratorHarness.CurrentRuntime));
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompilationErrors);
            Assembly = run.Load();
            sources = run.Sources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        }

        public LoadedAssembly Assembly { get; }

        public Func<double[], double> Method(string name, int parameters) => Assembly.Method("Supplied.Act", name, parameters);

        public string Source(string name) => sources.Single(kv => kv.Key.Contains($".Act.{name}.", StringComparison.Ordinal)).Value;

        public void Dispose() => Assembly.Dispose();
    }
}
