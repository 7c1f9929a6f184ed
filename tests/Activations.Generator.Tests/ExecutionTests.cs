using System.Collections.Immutable;
using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>Compiles the catalogue with its generated derivatives, runs them, and compares with hand-derived references.</summary>
public sealed class ExecutionTests : IClassFixture<ExecutionTests.CompiledCatalogue>
{
    private readonly CompiledCatalogue catalogue;

    public ExecutionTests(CompiledCatalogue catalogue) => this.catalogue = catalogue;

    public static TheoryData<string> EntryNames => new(Catalogue.Entries.Select(e => e.Name));

    [Fact]
    public void Generated_code_compiles_against_net80_and_the_running_runtime()
    {
        foreach (var references in new[] { GeneratorHarness.Net80, GeneratorHarness.CurrentRuntime })
        {
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Catalogue.Source }, references));
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompilationErrors);

            // One file per activation and nothing else: the loops and the vector math are the runtime's.
            Assert.Equal(Catalogue.Entries.Length, run.Sources.Count);
            Assert.All(run.Sources, s => Assert.StartsWith("Catalogue.", s.HintName, StringComparison.Ordinal));
            Assert.Contains("global::Activations.Kernels.Elementwise.Map(", run.Source("Catalogue.Act.Relu."), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The generated code spells the runtime's types out: a user namespace and class that declare types of the
    /// same names (and a namespace named Kernels) must not change what it binds to.
    /// </summary>
    [Fact]
    public void User_types_named_like_the_runtimes_do_not_break_the_generated_code()
    {
        const string source = """
            using System;
            using Activations;

            namespace MyNet
            {
                public static class Elementwise { }
                public static class VectorMath { }
                public interface IElementwiseOperator<T> { }

                public static partial class Act
                {
                    private sealed class Elementwise { }

                    [Activation] public static float Softplus(float z) => MathF.Log(1f + MathF.Exp(z));
                }
            }

            namespace MyNet.Kernels
            {
                public static class Marker { }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void Without_the_kernel_runtime_the_span_members_loop_over_the_scalar_method()
    {
        // A project that has the generator and declares the attribute itself, without the package's net8.0
        // assembly: vectors exist, the runtime does not, so every kernel is a checked scalar loop.
        const string attribute = "namespace Activations { [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class ActivationAttribute : System.Attribute { } }";
        var references = Basic.Reference.Assemblies.Net80.References.All.Cast<Microsoft.CodeAnalysis.MetadataReference>().ToImmutableArray();
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Catalogue.Source, attribute }, references));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        string sigmoid = run.Source("Catalogue.Act.Sigmoid.");
        Assert.DoesNotContain("Activations.Kernels", sigmoid, StringComparison.Ordinal);
        Assert.Contains("for (int i = 0; i < z.Length; i++)", sigmoid, StringComparison.Ordinal);

        using var loaded = run.Load();
        var backward = loaded.Span<SpanBackward<float>>(Catalogue.TypeName, "SigmoidBackward");
        float[] z = { -1000f, -3f, 0f, 3f, 1000f };
        float[] gradOutput = { 1f, 2f, 3f, 4f, 5f };
        float[] gradInput = new float[z.Length];
        backward(z, gradOutput, gradInput);
        for (int i = 0; i < z.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-z[i]));
            Assert.Equal(gradOutput[i] * s * (1 - s), gradInput[i], 1e-6);
        }

        Assert.Throws<ArgumentException>(() => backward(z, gradOutput, new float[2]));
    }

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Derivative_matches_the_hand_derived_reference_everywhere_the_function_is_finite(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var forward = catalogue.Forward(entry);
        var derivative = catalogue.Method(entry, "Derivative");
        int compared = 0;
        foreach (double point in Catalogue.Points())
        {
            double z = entry.IsDouble ? point : (float)point;
            if (!double.IsFinite(forward(z)) || !double.IsFinite(entry.Derivative(z)))
            {
                continue;
            }

            double expected = entry.Derivative(z);
            double actual = derivative(z);
            Assert.True(double.IsFinite(actual), $"{name}′({z:R}) = {actual} but the true derivative is {expected:R}");
            Assert.True(Close(actual, expected, entry.IsDouble), $"{name}′({z:R}) = {actual:R}, expected {expected:R}");
            compared++;
        }

        Assert.True(compared >= 200, $"only {compared} points compared");
    }

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Output_form_exists_exactly_where_expected_and_matches_the_reference(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        bool exists = catalogue.Assembly.HasMethod(Catalogue.TypeName, entry.Name + "DerivativeFromOutput");
        Assert.Equal(entry.ExpectOutputForm, exists);
        if (!exists)
        {
            return;
        }

        var forward = catalogue.Forward(entry);
        var fromOutput = catalogue.Method(entry, "DerivativeFromOutput");
        int compared = 0;
        foreach (double point in Catalogue.Points())
        {
            double z = entry.IsDouble ? point : (float)point;
            double y = forward(z);
            if (!double.IsFinite(y))
            {
                continue;
            }

            double expected = entry.Derivative(z);
            double actual = fromOutput(y);
            Assert.True(double.IsFinite(actual), $"{name}′ from y = {y:R} (z = {z:R}) is {actual}");
            Assert.True(Close(actual, expected, entry.IsDouble), $"{name}′ from y = {y:R} (z = {z:R}) = {actual:R}, expected {expected:R}");
            compared++;
        }

        Assert.True(compared >= 200, $"only {compared} points compared");
    }

    [Theory]
    [InlineData("Relu", 0.0, 0.0)]
    [InlineData("LeakyRelu", 0.0, 0.01f)]
    [InlineData("Elu", 0.0, 1.0)]
    [InlineData("Selu", 0.0, 1.0507009873554805f)]
    [InlineData("HardTanh", -1.0, 0.0)]
    [InlineData("HardTanh", 1.0, 0.0)]
    [InlineData("HardSigmoid", -3.0, 0.0)]
    [InlineData("HardSigmoid", 3.0, 0.0)]
    [InlineData("Relu6", 0.0, 0.0)]
    [InlineData("Relu6", 6.0, 0.0)]
    [InlineData("Softsign", 0.0, 1.0)]
    public void Kinks_take_the_smallest_magnitude_Clarke_subgradient(string name, double z, double expected)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        Assert.Equal(expected, catalogue.Method(entry, "Derivative")(z));
        if (entry.ExpectOutputForm)
        {
            double y = catalogue.Forward(entry)(z);
            Assert.Equal(expected, catalogue.Method(entry, "DerivativeFromOutput")(y));
        }
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(2.0, 1.0)]
    [InlineData(-1.0, 0.0)]
    public void A_kink_whose_slopes_depend_on_a_hyperparameter_is_decided_in_code(double alpha, double expected)
    {
        var derivative = catalogue.Assembly.Method(Catalogue.TypeName, "EluAlphaDerivative", 2);
        Assert.Equal(expected, derivative(new[] { 0.0, alpha }));
    }

    [Fact]
    public void Float_sigmoid_derivative_stays_finite_far_below_minus_88()
    {
        var entry = Catalogue.Entries.Single(e => e.Name == "Sigmoid");
        foreach (double z in new[] { -88.5, -89, -100, -1000, -1e30 })
        {
            double value = catalogue.Method(entry, "Derivative")(z);
            Assert.True(double.IsFinite(value) && value >= 0 && value < 1e-37, $"σ′({z}) = {value}");
        }
    }

    /// <summary>
    /// Relative error up to 17 float ULPs (2e-6), or an absolute error of 4 ULPs of 1 where the value is
    /// tiny: a derivative of order one computed through tanh(u) ≈ ±1 cannot resolve less in float.
    /// In double the same bounds are 1e-12 and 1e-15.
    /// </summary>
    internal static bool Close(double actual, double expected, bool isDouble) =>
        isDouble
            ? Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected) + 1e-15
            : Math.Abs(actual - expected) <= 2e-6 * Math.Abs(expected) + 4 * 1.1920929e-7;

    /// <summary>The catalogue compiled once for all tests of this class.</summary>
    public sealed class CompiledCatalogue : IDisposable
    {
        public CompiledCatalogue()
        {
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Catalogue.Source }, GeneratorHarness.CurrentRuntime));
            Assembly = run.Load();
        }

        public LoadedAssembly Assembly { get; }

        public Func<double, double> Forward(CatalogueEntry entry) => Method(entry, string.Empty);

        public Func<double, double> Method(CatalogueEntry entry, string suffix)
        {
            var hyper = entry.Hyperparameters ?? Array.Empty<double>();
            var method = Assembly.Method(Catalogue.TypeName, entry.Name + suffix, 1 + hyper.Length);
            return z => method(new[] { z }.Concat(hyper).ToArray());
        }

        public void Dispose() => Assembly.Dispose();
    }
}
