using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>
/// <c>[Activation(SecondDerivative = true)]</c>: g″ as a scalar method and a span kernel, against hand-derived
/// references and central differences of the generated g′, finite over ±1000 where the true g″ is.
/// </summary>
public sealed class SecondDerivativeTests : IClassFixture<SecondDerivativeTests.Compiled>
{
    private readonly Compiled compiled;

    public SecondDerivativeTests(Compiled compiled) => this.compiled = compiled;

    private static double S(double z) => Catalogue.Sigmoid(z);

    /// <summary>Hand-derived g″ of catalogue entries.</summary>
    private static readonly Dictionary<string, Func<double, double>> HandDerived = new()
    {
        ["Sigmoid"] = z => S(z) * S(-z) * (1 - 2 * S(z)),
        ["SigmoidDouble"] = z => S(z) * S(-z) * (1 - 2 * S(z)),
        ["Tanh"] = z => -2 * Math.Tanh(z) * (1 - Math.Tanh(z) * Math.Tanh(z)),
        ["Softplus"] = z => S(z) * S(-z),
        ["Swish"] = z => S(z) * S(-z) * (2 + z * (1 - 2 * S(z))),
        ["Relu"] = _ => 0,
        ["Elu"] = z => z > 0 ? 0 : Math.Exp(z) * (z < 0 ? 1 : 0),
        ["Softsign"] = z => -2 * Math.Sign(z) / Math.Pow(1 + Math.Abs(z), 3),
    };

    public static TheoryData<string> HandDerivedNames => new(HandDerived.Keys);

    public static TheoryData<string> AllNames => new(Catalogue.Entries.Select(e => e.Name));

    private static readonly double[] Grid = Enumerable.Range(-200, 401).Select(i => i * 0.1 + 0.013)
        .Concat(new double[] { -1000, -700, -100, -88.8, -50, 50, 88.8, 100, 700, 1000 }).ToArray();

    [Theory]
    [MemberData(nameof(HandDerivedNames))]
    public void The_second_derivative_matches_the_hand_derived_one_and_is_finite_to_1000(string name)
    {
        var second = compiled.Second(name);
        var exact = HandDerived[name];
        bool isDouble = name.EndsWith("Double", StringComparison.Ordinal);
        foreach (double z in Grid)
        {
            double actual = second(new[] { z });
            double expected = exact(z);
            Assert.True(double.IsFinite(actual), $"{name}″({z}) = {actual}, true {expected}");
            double tolerance = (isDouble ? 1e-12 : 2e-6) * Math.Max(Math.Abs(expected), 1e-3) + (isDouble ? 1e-300 : 1e-30);
            Assert.True(Math.Abs(actual - expected) <= tolerance * 10, $"{name}″({z}) = {actual:R}, true {expected:R}");
        }
    }

    /// <summary>Every catalogue entry, opted in: g″ against a central difference of its own generated g′ (double arithmetic on the float methods).</summary>
    [Theory]
    [MemberData(nameof(AllNames))]
    public void The_second_derivative_is_the_derivative_of_the_first(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        int parameters = 1 + (entry.Hyperparameters?.Length ?? 0);
        var first = compiled.Method(name + "Derivative", parameters);
        var second = compiled.Method(name + "SecondDerivative", parameters);
        double[] Args(double z) => new[] { z }.Concat(entry.Hyperparameters ?? Array.Empty<double>()).ToArray();
        foreach (double z in Enumerable.Range(-40, 81).Select(i => i * 0.25 + 0.0625))
        {
            double h = 1e-2;
            double central = (first(Args(z + h)) - first(Args(z - h))) / (2 * h);
            double actual = second(Args(z));
            Assert.True(double.IsFinite(actual), $"{name}″({z}) = {actual}");
            bool nearKink = Math.Abs(z) < 2 * h || Math.Abs(Math.Abs(z) - 1) < 2 * h || Math.Abs(Math.Abs(z) - 3) < 2 * h || Math.Abs(z - 6) < 2 * h;
            if (!nearKink)
            {
                Assert.True(Math.Abs(actual - central) <= 2e-3 * Math.Max(1, Math.Abs(central)), $"{name}″({z}) = {actual:R}, central difference of g′ {central:R}");
            }
        }

        // Far out, where float's exponentials overflow: finite (σ″(−100) is 3.7e-44, not NaN).
        foreach (double z in new double[] { -1000, -100, -88.8, 88.8, 100, 1000 })
        {
            Assert.True(double.IsFinite(second(Args(z))), $"{name}″({z}) = {second(Args(z))}");
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void The_span_kernel_agrees_with_the_scalar_method(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        if (entry.Hyperparameters is { Length: > 0 } || name.EndsWith("Double", StringComparison.Ordinal))
        {
            return; // the float, hyperparameter-free entries: one delegate shape
        }

        float[] z = Grid.Select(v => (float)v).ToArray();
        float[] kernel = new float[z.Length];
        compiled.Assembly.Span<SpanMap<float>>("Catalogue.Act", name + "SecondDerivative")(z, kernel);
        var scalar = compiled.Second(name);
        for (int i = 0; i < z.Length; i++)
        {
            double expected = scalar(new double[] { z[i] });
            Assert.True(float.IsFinite(kernel[i]), $"kernel {name}″({z[i]}) = {kernel[i]}");
            Assert.True(Math.Abs(kernel[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"kernel {name}″({z[i]:R}) = {kernel[i]:R}, scalar {expected:R}");
        }
    }

    /// <summary>Where the output decides g″, the from-output member computes it from y = g(z), factored by its roots.</summary>
    [Theory]
    [InlineData("Sigmoid", "g″ = y·(1 − 2·y)·(1 − y)")]
    [InlineData("SigmoidDouble", "g″ = y·(1 − 2·y)·(1 − y)")]
    [InlineData("Tanh", "g″ = −2·y·(1 + y)·(1 − y)")]
    public void The_output_form_of_the_second_derivative_is_the_factored_polynomial(string name, string formula)
    {
        Assert.Contains($"written through its output y = g(z): {formula}.", compiled.Source(name), StringComparison.Ordinal);
        var forward = compiled.Method(name, 1);
        var fromOutput = compiled.Method(name + "SecondDerivativeFromOutput", 1);
        Func<double, double> exactInY = name == "Tanh" ? y => -2 * y * (1 - y * y) : y => y * (1 - y) * (1 - 2 * y);
        foreach (double z in Grid.Where(z => Math.Abs(z) <= 12))
        {
            // G at the very y the method gets: the factored form is within a few rounding errors of G(y), also
            // near the roots y = 1/2, ±1, where the multiplied-out polynomial cancels.
            double y = forward(new[] { z });
            double actual = fromOutput(new[] { y });
            double expected = exactInY(y);
            double ulps = name.EndsWith("Double", StringComparison.Ordinal) ? 4 * 1.1e-16 : 4 * 6e-8;
            Assert.True(Math.Abs(actual - expected) <= ulps * Math.Abs(expected) + 1e-300, $"{name}″ from output y = {y:R} (z = {z}) = {actual:R}, G(y) = {expected:R}");
        }

        float[] outputs = Grid.Select(z => (float)forward(new[] { z })).ToArray();
        if (!name.EndsWith("Double", StringComparison.Ordinal))
        {
            float[] kernel = new float[outputs.Length];
            compiled.Assembly.Span<SpanMap<float>>("Catalogue.Act", name + "SecondDerivativeFromOutput")(outputs, kernel);
            for (int i = 0; i < outputs.Length; i++)
            {
                double scalar = fromOutput(new double[] { outputs[i] });
                Assert.True(Math.Abs(kernel[i] - scalar) <= 1e-7 * Math.Max(Math.Abs(scalar), 1e-30), $"kernel {name}″ from output {outputs[i]:R} = {kernel[i]:R}, scalar {scalar:R}");
            }
        }
    }

    /// <summary>What an opted-in activation's file holds: g″ in z (G(g(z)) where the direct form overflows), its output form, their kernels.</summary>
    [Fact]
    public void The_generated_source_matches_the_snapshot() => Snapshot.Verify("SigmoidSecondDerivative", compiled.Source("Sigmoid"));

    [Fact]
    public void Without_the_option_no_second_derivative_is_generated()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Catalogue.Source }, GeneratorHarness.CurrentRuntime));
        Assert.DoesNotContain(run.Sources, s => s.SourceText.ToString().Contains("SecondDerivative", StringComparison.Ordinal));
    }

    /// <summary>A callee from a referenced assembly: its derivative is a method there, not an expression here.</summary>
    [Fact]
    public void A_callee_from_another_assembly_gets_ACT113_and_the_first_derivative_still_generates()
    {
        var library = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { """
            using System;
            using Activations;
            namespace Lib;
            public static partial class Shared
            {
                [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
            }
            """ }, GeneratorHarness.CurrentRuntime, assemblyName: "Lib"));
        Assert.Empty(library.CompilationErrors);
        var references = GeneratorHarness.CurrentRuntime.Add(library.Output.ToMetadataReference());

        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { """
            using Activations;
            namespace User;
            public static partial class Act
            {
                [Activation(SecondDerivative = true)] public static float Swish(float z) => z * Lib.Shared.Sigmoid(z);
            }
            """ }, references));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("ACT113", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'Swish'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'Sigmoid'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("Swish", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Empty(run.CompilationErrors);
        string generated = run.Source("Swish");
        Assert.Contains("SwishDerivative(float z)", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("SecondDerivative", generated, StringComparison.Ordinal);
    }

    /// <summary>The catalogue with every entry opted in.</summary>
    public sealed class Compiled : IDisposable
    {
        public Compiled()
        {
            string source = Catalogue.Source.Replace("[Activation]", "[Activation(SecondDerivative = true)]");
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
            Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
            Assert.Empty(run.CompilationErrors);
            Assembly = run.Load();
            sources = run.Sources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        }

        private readonly Dictionary<string, string> sources;

        /// <summary>The generated file of one activation.</summary>
        public string Source(string name) => sources.Single(kv => kv.Key.Contains($".Act.{name}.", StringComparison.Ordinal)).Value;

        public LoadedAssembly Assembly { get; }

        public Func<double[], double> Method(string name, int parameters) => Assembly.Method("Catalogue.Act", name, parameters);

        public Func<double[], double> Second(string name) => Method(name + "SecondDerivative", 1);

        public void Dispose() => Assembly.Dispose();
    }
}
