using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>
/// Spellings whose own scalar arithmetic overflows where the true value is finite: ln(1 + e^z) is ∞ in float
/// for z &gt; 88.7 (true value z), tanh through exponentials is ∞/∞ = NaN for |z| &gt; 88.7 (true value ±1). The
/// span kernels must compute the same function stably: finite wherever the true value is, over the accuracy
/// grid and ±1000, forward, derivative and backward, and close to the true value (docs/accuracy.md).
/// </summary>
public sealed class StableKernelTests : IClassFixture<StableKernelTests.Compiled>
{
    private readonly Compiled compiled;

    public StableKernelTests(Compiled compiled) => this.compiled = compiled;

    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Name, body, true value, true derivative.</summary>
    private static readonly (string Name, string Body, Func<double, double> Value, Func<double, double> Slope)[] Spellings =
    {
        ("SoftplusOnePlus", "MathF.Log(1f + MathF.Exp(z))", Softplus, Sigmoid),
        ("SoftplusExpFirst", "MathF.Log(MathF.Exp(z) + 1f)", Softplus, Sigmoid),
        ("SoftplusScaled", "MathF.Log(2f + 3f * MathF.Exp(z))", z => Math.Log(2) + Softplus(z + Math.Log(1.5)), z => Sigmoid(z + Math.Log(1.5))),
        ("TanhOfExps", "(MathF.Exp(z) - MathF.Exp(-z)) / (MathF.Exp(z) + MathF.Exp(-z))", Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z)),
        ("TanhOfDoubledExp", "(MathF.Exp(2f * z) - 1f) / (MathF.Exp(2f * z) + 1f)", Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z)),
        ("TanhOfHalvedExp", "(1f - MathF.Exp(-2f * z)) / (1f + MathF.Exp(-2f * z))", Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z)),
        ("SigmoidOfExps", "MathF.Exp(z) / (1f + MathF.Exp(z))", Sigmoid, z => Sigmoid(z) * (1 - Sigmoid(z))),
        ("MishNaive", "z * MathF.Tanh(MathF.Log(1f + MathF.Exp(z)))", z => z * Math.Tanh(Softplus(z)),
            z => { double t = Math.Tanh(Softplus(z)); return t + z * (1 - t * t) * Sigmoid(z); }),
    };

    public static TheoryData<string> Names => new(Spellings.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Kernels_are_finite_and_close_wherever_the_true_value_is_finite(string name)
    {
        var (_, _, value, slope) = Spellings.Single(s => s.Name == name);
        float[] z = AccuracyTests.Grid().Concat(new[] { 100.0, -100, 1000, -1000, 88.8, -88.8, 200, -200 }).Select(v => (float)v).Distinct().ToArray();
        float[] gradOutput = z.Select((_, i) => i % 2 == 0 ? 0.75f : -1.5f).ToArray();
        float[] forward = compiled.Map(name, z);
        float[] derivative = compiled.Map(name + "Derivative", z);
        float[] backward = compiled.Backward(name, z, gradOutput);
        var scalar = compiled.Scalar(name);
        int overflowedInScalar = 0;
        for (int i = 0; i < z.Length; i++)
        {
            Check($"{name}({z[i]:R})", forward[i], value(z[i]));
            Check($"{name}Derivative({z[i]:R})", derivative[i], slope(z[i]));
            Check($"{name}Backward({z[i]:R}, {gradOutput[i]})", backward[i], gradOutput[i] * slope(z[i]), Math.Abs(gradOutput[i]));
            if (!double.IsFinite(scalar(new double[] { z[i] })))
            {
                overflowedInScalar++;
            }
        }

        // The spelling does overflow in scalar float here, or the test would prove nothing; mish's outer
        // tanh absorbs its softplus's ∞, so its scalar forward stays finite and only the kernel form changes.
        Assert.True(overflowedInScalar > 100 || name == "MishNaive", $"the scalar {name} overflowed at only {overflowedInScalar} points");
    }

    /// <summary>Finite, and within 8 ULP of the true value or 8 ULP of 1 (times the gradient) absolutely.</summary>
    private static void Check(string what, float actual, double exact, double scale = 1)
    {
        Assert.True(float.IsFinite(actual), $"{what} = {actual}, the true value is {exact:R}");
        double ulpOfOne = MathF.BitIncrement(1f) - 1;
        bool close = Ulp.Error(actual, exact, isDouble: false) <= 8 || Math.Abs(actual - exact) <= 8 * ulpOfOne * Math.Max(1, scale);
        Assert.True(close, $"{what} = {actual:R}, the true value is {exact:R} ({Ulp.Error(actual, exact, isDouble: false):F1} ULP)");
    }

    /// <summary>The spellings compiled once, with their span kernels.</summary>
    public sealed class Compiled : IDisposable
    {
        private readonly LoadedAssembly assembly;

        public Compiled()
        {
            string members = string.Concat(Spellings.Select(s => $"    [Activation] public static float {s.Name}(float z) => {s.Body};\n"));
            string source = $"using System;\nusing Activations;\nnamespace Stable;\npublic static partial class Act\n{{\n{members}}}\n";
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
            Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
            assembly = run.Load();
        }

        /// <summary>The scalar method, the user's own arithmetic.</summary>
        public Func<double[], double> Scalar(string name) => assembly.Method("Stable.Act", name, 1);

        public float[] Map(string name, float[] input)
        {
            float[] output = new float[input.Length];
            assembly.Span<SpanMap<float>>("Stable.Act", name)(input, output);
            return output;
        }

        public float[] Backward(string name, float[] input, float[] gradOutput)
        {
            float[] output = new float[input.Length];
            assembly.Span<SpanBackward<float>>("Stable.Act", name + "Backward")(input, gradOutput, output);
            return output;
        }

        public void Dispose() => assembly.Dispose();
    }
}
