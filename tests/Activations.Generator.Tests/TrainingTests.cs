using System.Reflection;
using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>
/// Learnable parameters (<c>[Learnable]</c>) and second inputs (<c>[Input]</c>): partial derivatives against hand-derived
/// references and central differences, the two-input kernels and the backward that reduces a parameter's gradient.
/// </summary>
public sealed class TrainingTests : IClassFixture<TrainingTests.Compiled>
{
    private const string Source = """
        using System;
        using Activations;

        namespace Training;

        public static partial class Act
        {
            [Activation] public static float PRelu(float z, [Learnable] float alpha = 0.25f) => z > 0f ? z : alpha * z;

            [Activation] public static float SwishBeta(float z, [Learnable] float beta = 1f) => z / (1f + MathF.Exp(-beta * z));

            [Activation] public static float Elu(float z, [Learnable] float alpha = 1f) => z > 0f ? z : alpha * (MathF.Exp(z) - 1f);

            [Activation] public static float SwiGlu(float gate, [Input] float up) => gate / (1f + MathF.Exp(-gate)) * up;

            [Activation]
            public static float GeGlu(float gate, [Input] float up)
            {
                float inner = 0.7978845608f * (gate + 0.044715f * gate * gate * gate);
                return 0.5f * gate * (1f + MathF.Tanh(inner)) * up;
            }

            [Activation] public static float Bilinear(float a, [Input] float b, float scale = 2f) => scale * a * b;

            [Activation] public static float SigmoidOfSum(float a, [Input] float b) => 1f / (1f + MathF.Exp(-(a + b)));

            [Activation] public static float TanhWithBias(float z, [Learnable] float bias = 0f) => MathF.Tanh(z + bias);

            [Activation] public static double SwiGluDouble(double gate, [Input] double up) => gate / (1.0 + Math.Exp(-gate)) * up;
        }
        """;

    private readonly Compiled compiled;

    public TrainingTests(Compiled compiled) => this.compiled = compiled;

    private static double S(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x)));

    private static double GeluTanhSlope(double x)
    {
        double t = Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t) * (1 + t) * 0.7978845608 * (1 + 3 * 0.044715 * x * x);
    }

    /// <summary>(member, second argument, hand-derived value at (z, p)).</summary>
    public static TheoryData<string, double, string> References => new()
    {
        { "PReluDerivative", 0.25, "prelu dz" },
        { "PReluDerivativeWithRespectToAlpha", 0.25, "prelu dalpha" },
        { "SwishBetaDerivative", 1.7, "swish dz" },
        { "SwishBetaDerivativeWithRespectToBeta", 1.7, "swish dbeta" },
        { "EluDerivative", 0.8, "elu dz" },
        { "EluDerivativeWithRespectToAlpha", 0.8, "elu dalpha" },
        { "SwiGluDerivative", -1.3, "swiglu da" },
        { "SwiGluDerivativeWithRespectToUp", -1.3, "swiglu db" },
        { "GeGluDerivative", 0.6, "geglu da" },
        { "GeGluDerivativeWithRespectToUp", 0.6, "geglu db" },
        { "BilinearDerivative", -0.75, "bilinear da" },
        { "BilinearDerivativeWithRespectToB", -0.75, "bilinear db" },
        { "SigmoidOfSumDerivativeWithRespectToB", 0.4, "sigmoid of sum db" },
        { "TanhWithBiasDerivativeWithRespectToBias", -0.3, "tanh with bias dbias" },
        { "SwiGluDoubleDerivative", 2.5, "swiglu da" },
        { "SwiGluDoubleDerivativeWithRespectToUp", 2.5, "swiglu db" },
    };

    private static double Reference(string what, double z, double p) => what switch
    {
        "prelu dz" => z > 0 ? 1 : z < 0 ? p : Math.Min(p, 1), // at the kink: the smaller of the slopes (both positive here)
        "prelu dalpha" => z > 0 ? 0 : z,
        "swish dz" => S(p * z) + p * z * S(p * z) * S(-p * z),
        "swish dbeta" => z * z * S(p * z) * S(-p * z),
        "elu dz" => z > 0 ? 1 : z < 0 ? p * Math.Exp(z) : Math.Min(1, p),
        "elu dalpha" => z > 0 ? 0 : Math.Abs(z) < 1e-5 ? z + z * z / 2 : Math.Exp(z) - 1,
        "swiglu da" => p * (S(z) + z * S(z) * S(-z)),
        "swiglu db" => z * S(z),
        "geglu da" => p * GeluTanhSlope(z),
        "geglu db" => GeluTanh(z),
        "bilinear da" => 2 * p, // scale = 2 by default
        "bilinear db" => 2 * z,
        "sigmoid of sum db" => S(z + p) * S(-(z + p)),
        "tanh with bias dbias" => 1 - Math.Tanh(z + p) * Math.Tanh(z + p),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    private static readonly double[] Grid = Enumerable.Range(-80, 161).Select(i => i * 0.125)
        .Concat(new double[] { -1000, -100, -88.8, -50, 50, 88.8, 100, 1000, 1e-6, -1e-6 }).ToArray();

    [Theory]
    [MemberData(nameof(References))]
    public void Partial_derivatives_match_hand_derived_references_to_1000(string member, double p, string what)
    {
        var method = compiled.Method(member);
        bool isDouble = member.Contains("Double", StringComparison.Ordinal);
        foreach (double z in Grid)
        {
            double actual = method(new[] { z, p });
            double expected = Reference(what, isDouble ? z : (float)z, isDouble ? p : (float)p);
            Assert.True(double.IsFinite(actual), $"{member}({z}, {p}) = {actual}");
            double tolerance = (isDouble ? 1e-13 : 4e-6) * Math.Max(1, Math.Abs(expected));
            Assert.True(Math.Abs(actual - expected) <= tolerance, $"{member}({z}, {p}) = {actual:R}, expected {expected:R}");
        }
    }

    /// <summary>Every partial of every activation here against a central difference of the scalar member, in double arithmetic on random points.</summary>
    [Fact]
    public void Partial_derivatives_are_central_differences_of_the_function()
    {
        var random = new Random(7);
        foreach (var (name, second) in new[] { ("PRelu", "Alpha"), ("SwishBeta", "Beta"), ("Elu", "Alpha"), ("SwiGlu", "Up"), ("GeGlu", "Up"), ("Bilinear", "B"), ("SigmoidOfSum", "B"), ("TanhWithBias", "Bias"), ("SwiGluDouble", "Up") })
        {
            var f = compiled.Method(name);
            var dz = compiled.Method(name + "Derivative");
            var dp = compiled.Method(name + "DerivativeWithRespectTo" + second);
            for (int k = 0; k < 200; k++)
            {
                double z = random.NextDouble() * 12 - 6, p = random.NextDouble() * 4 - 1;
                if (Math.Abs(z) < 0.01)
                {
                    continue; // the kinks of PReLU and ELU
                }

                double h = 1e-3;
                double byZ = (f(new[] { z + h, p }) - f(new[] { z - h, p })) / (2 * h);
                double byP = (f(new[] { z, p + h }) - f(new[] { z, p - h })) / (2 * h);
                Assert.True(Math.Abs(dz(new[] { z, p }) - byZ) <= 2e-3 * Math.Max(1, Math.Abs(byZ)), $"∂{name}/∂z({z}, {p}) = {dz(new[] { z, p })}, central {byZ}");
                Assert.True(Math.Abs(dp(new[] { z, p }) - byP) <= 2e-3 * Math.Max(1, Math.Abs(byP)), $"∂{name}/∂{second}({z}, {p}) = {dp(new[] { z, p })}, central {byP}");
            }
        }
    }

    /// <summary>
    /// Where the output decides a partial, it has a from-output member as g′ does: σ(a + b) has ∂/∂b = y(1 − y) and
    /// tanh(z + bias) has ∂/∂bias = 1 − y²; PReLU's ∂/∂alpha = min(z, 0) is not decided by y for every alpha (at alpha = 0
    /// y is 0 for every z &lt; 0), so it has none.
    /// </summary>
    [Fact]
    public void Partials_the_output_decides_have_from_output_members()
    {
        var type = compiled.Assembly.Assembly.GetType("Training.Act")!;
        var sigmoidB = compiled.Method("SigmoidOfSumDerivativeWithRespectToBFromOutput");
        var tanhBias = compiled.Method("TanhWithBiasDerivativeWithRespectToBiasFromOutput");
        foreach (double y in new[] { 0.0, 1e-30, 1e-7, 0.1, 0.5, 0.9, 1 - 1e-7, 1.0 })
        {
            float fy = (float)y;
            Assert.Equal((double)(fy * (1f - fy)), sigmoidB(new[] { y, 0.4 }), 1e-7);
            Assert.Equal(1 - (double)fy * fy, tanhBias(new[] { y, -0.3 }), 1e-6);
        }

        Assert.Null(type.GetMethod("PReluDerivativeWithRespectToAlphaFromOutput"));
        Assert.Null(type.GetMethod("SwishBetaDerivativeWithRespectToBetaFromOutput"));
        Assert.Null(type.GetMethod("SwiGluDerivativeWithRespectToUpFromOutput"));
    }

    private delegate void TwoInputs(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination);

    private delegate void TwoInputsBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> gradOutput, Span<float> gradA, Span<float> gradB);

    private delegate float WithParameterGradient(ReadOnlySpan<float> z, ReadOnlySpan<float> gradOutput, Span<float> gradInput, float alpha);

    private static float[] Inputs(int n, int seed) => Enumerable.Range(0, n).Select(i => (float)(new Random(seed + i).NextDouble() * 20 - 10)).ToArray();

    /// <summary>Every length up to 70 (tails of every width), NaN and ±∞ among the inputs, and in place onto either input.</summary>
    [Theory]
    [InlineData("SwiGlu")]
    [InlineData("GeGlu")]
    public void Two_input_kernels_equal_the_scalar_members_at_every_length_and_in_place(string name)
    {
        var forward = compiled.Assembly.Span<TwoInputs>("Training.Act", name);
        var backward = compiled.Assembly.Span<TwoInputsBackward>("Training.Act", name + "Backward");
        var f = compiled.Method(name, 2);
        var da = compiled.Method(name + "Derivative", 2);
        var db = compiled.Method(name + "DerivativeWithRespectToUp", 2);
        for (int n = 0; n <= 70; n++)
        {
            float[] a = Inputs(n, 1), b = Inputs(n, 1000), g = Inputs(n, 5000);
            if (n > 20)
            {
                (a[3], b[17], a[19]) = (float.NaN, float.PositiveInfinity, 1000f);
            }

            float[] y = new float[n], gradA = new float[n], gradB = new float[n];
            forward(a, b, y);
            backward(a, b, g, gradA, gradB);
            for (int i = 0; i < n; i++)
            {
                if (float.IsInfinity(a[i]) || float.IsInfinity(b[i]))
                {
                    continue; // 0·∞ in scalar code is NaN where the stable vector form keeps the infinity
                }

                Same((float)f(new double[] { a[i], b[i] }), y[i], $"{name}({a[i]}, {b[i]})");
                Same((float)(g[i] * (float)da(new double[] { a[i], b[i] })), gradA[i], $"∂a at {i}");
                Same((float)(g[i] * (float)db(new double[] { a[i], b[i] })), gradB[i], $"∂b at {i}");
            }

            // In place: the gradients written over the inputs they are computed from.
            float[] inPlaceA = (float[])a.Clone(), inPlaceB = (float[])b.Clone();
            backward(inPlaceA, inPlaceB, g, inPlaceA, inPlaceB);
            Assert.Equal(gradA, inPlaceA);
            Assert.Equal(gradB, inPlaceB);
        }
    }

    private static void Same(float expected, float actual, string what) =>
        Assert.True(expected.Equals(actual) || Math.Abs(expected - actual) <= 4e-6f * Math.Max(1f, Math.Abs(expected)), $"{what}: kernel {actual:R}, scalar {expected:R}");

    [Fact]
    public void Two_input_kernels_reject_mismatched_and_overlapping_spans()
    {
        var backward = compiled.Assembly.Span<TwoInputsBackward>("Training.Act", "SwiGluBackward");
        float[] a = new float[32], b = new float[32], g = new float[32], shared = new float[64];
        Assert.Throws<ArgumentException>(() => backward(a, new float[31], g, new float[32], new float[32]));
        Assert.Throws<ArgumentException>(() => backward(a, b, g, shared.AsSpan(0, 32), shared.AsSpan(16, 32)));
        Assert.Throws<ArgumentException>(() => backward(a, b, g, new float[31], new float[32]));
    }

    /// <summary>PReLU's backward with ∂L/∂alpha: gradInput as the scalar member gives it, the sum within 1e-6 of a double sum at 16.7 M elements.</summary>
    [Fact]
    public void The_parameter_gradient_is_reduced_in_the_same_pass()
    {
        var backward = compiled.Assembly.Span<WithParameterGradient>("Training.Act", "PReluBackwardWithParameterGradient");
        var byAlpha = compiled.Assembly.Assembly.GetType("Training.Act")!.GetMethod("PReluDerivativeWithRespectToAlpha")!.CreateDelegate<Func<float, float, float>>();
        var byZ = compiled.Assembly.Assembly.GetType("Training.Act")!.GetMethod("PReluDerivative", new[] { typeof(float), typeof(float) })!.CreateDelegate<Func<float, float, float>>();
        foreach (int n in new[] { 0, 1, 15, 16, 17, 63, 1_000, 16_777_216 })
        {
            var random = new Random(n);
            float[] z = new float[n], g = new float[n], gradInput = new float[n];
            for (int i = 0; i < n; i++)
            {
                z[i] = (float)(random.NextDouble() * 8 - 4);
                g[i] = (float)(random.NextDouble() * 2 - 1);
            }

            float sum = backward(z, g, gradInput, 0.25f);
            double exact = 0;
            for (int i = 0; i < n; i++)
            {
                exact += (double)g[i] * byAlpha(z[i], 0.25f);
            }

            Assert.True(Math.Abs(sum - exact) <= 1e-6 * Math.Max(Math.Abs(exact), 1e-30) + 1e-30, $"n = {n}: {sum:R} against {exact:R}");
            for (int i = 0; i < Math.Min(n, 5_000); i++)
            {
                Assert.Equal(g[i] * byZ(z[i], 0.25f), gradInput[i]);
            }
        }
    }

    [Fact]
    public void A_learnable_parameter_passed_on_as_a_hyperparameter_gets_ACT115()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { """
            using System;
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Leaky(float z, float slope = 0.01f) => z > 0f ? z : slope * z;
                [Activation] public static float Outer(float z, [Learnable] float slope = 0.1f) => Leaky(z, slope);
            }
            """ }, GeneratorHarness.CurrentRuntime));
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("ACT115", diagnostic.Id);
        Assert.Equal("The derivative of 'Outer' with respect to 'slope' cannot be generated: 'slope' is passed to 'Leaky' as one of its hyperparameters, which have no derivative", diagnostic.GetMessage());
        Assert.Empty(run.CompilationErrors);
    }

    /// <summary>The activations above, compiled with their generated code.</summary>
    public sealed class Compiled : IDisposable
    {
        public Compiled()
        {
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Source }, GeneratorHarness.CurrentRuntime));
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompilationErrors);
            Assembly = run.Load();
        }

        public LoadedAssembly Assembly { get; }

        public Func<double[], double> Method(string name, int parameters) => Assembly.Method("Training.Act", name, parameters);

        /// <summary>A member called with (z, p), any further hyperparameter taking its default (Bilinear's scale).</summary>
        public Func<double[], double> Method(string name)
        {
            var method = Assembly.Assembly.GetType("Training.Act")!.GetMethods().Single(m => m.Name == name && m.GetParameters().All(q => q.ParameterType == typeof(float) || q.ParameterType == typeof(double)));
            int count = method.GetParameters().Length;
            var call = Method(name, count);
            var defaults = method.GetParameters().Skip(2).Select(q => Convert.ToDouble(q.DefaultValue, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return args => call(args.Concat(defaults).ToArray());
        }

        public void Dispose() => Assembly.Dispose();
    }
}
