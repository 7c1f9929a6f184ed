using System.Diagnostics;
using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>The span kernels agree with the scalar methods for every length, in place too, and at special values.</summary>
public sealed class KernelTests : IClassFixture<KernelTests.CompiledKernels>
{
    /// <summary>Vector exp, log and tanh differ from MathF/Math by a few ULP; compositions add a little.</summary>
    private const double MaxUlpsFromScalar = 8;

    private readonly CompiledKernels compiled;

    public KernelTests(CompiledKernels compiled) => this.compiled = compiled;

    public static TheoryData<string> EntryNames => new(Catalogue.Entries.Select(e => e.Name));

    public static IEnumerable<int> Lengths => Enumerable.Range(0, 71).Concat(new[] { 127, 1023, 4097 });

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Every_kernel_agrees_with_the_scalar_methods_for_every_length_and_in_place(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var random = new Random(1234);
        foreach (int length in Lengths)
        {
            var (input, grad) = RandomInputs(random, length);
            foreach (bool inPlace in new[] { false, true })
            {
                CheckAll(entry, input, grad, inPlace, $"length {length}{(inPlace ? ", in place" : string.Empty)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Special_values_behave_as_in_the_scalar_methods(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        double[] specials =
        {
            0.0, -0.0, 1e-40, -1e-40, 1e-30, -1e-30, 1e-7, -1e-7, 0.5, -0.5, 3, -3, 6, -6, 20, -20, 88.5, -88.5, 100, -100,
            709, -709, 1000, -1000, 1e30, -1e30, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1, -1,
        };

        // Every special value at every lane position of a vector, with and without NaN neighbours.
        var input = specials.Concat(specials.Reverse()).Concat(specials.Where(v => !double.IsNaN(v))).ToArray();
        var grad = input.Select((_, i) => i % 3 == 0 ? 0.5 : -2.0).ToArray();
        CheckAll(entry, input, grad, inPlace: false, "special values");
        CheckAll(entry, input, grad, inPlace: true, "special values, in place");
    }

    /// <summary>
    /// The loops store from the first vector-aligned element and cover the head with an overlapping first
    /// vector. Offsets 0 to 15 elements reach every alignment of a float or double destination; lane results
    /// do not depend on which vector a lane falls in, so the answers must be the same bits as at offset 0.
    /// </summary>
    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Every_alignment_of_the_spans_gives_the_same_bits(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var hyper = entry.Hyperparameters ?? Array.Empty<double>();
        var random = new Random(99);
        foreach (int length in new[] { 16, 17, 31, 63, 64, 65, 80, 129, 1000 })
        {
            var (input, grad) = RandomInputs(random, length);
            foreach (string kernel in KernelsOf(entry))
            {
                var aligned = compiled.Driver(entry.Name, kernel, input, grad, hyper, inPlace: false, offset: 0);
                for (int offset = 0; offset < 16; offset++)
                {
                    foreach (bool inPlace in new[] { false, true })
                    {
                        var shifted = compiled.Driver(entry.Name, kernel, input, grad, hyper, inPlace, offset);
                        AssertSameBits(aligned, shifted, $"{entry.Name} {kernel}, length {length}, offset {offset}{(inPlace ? ", in place" : string.Empty)}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Small spans walk their blocks downwards when the destination lies 64 to 2,047 bytes past each input modulo
    /// 4 KiB (see Elementwise.WalksDown). Input, gradOutput and destination here are slices of one array a fixed
    /// number of elements apart, so each direction is taken for certain: the spacing puts the destination
    /// 1,000 (float) or 1,016 (double) and twice that many bytes past the inputs, which walks down over three
    /// or more blocks, or 4 KiB apart, which walks up. The answers must be the bits of separate arrays.
    /// </summary>
    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Both_walking_directions_give_the_same_bits(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var hyper = entry.Hyperparameters ?? Array.Empty<double>();
        var random = new Random(17);
        var (lengths, spacings) = entry.IsDouble
            ? (new[] { 100, 113, 127 }, new[] { 127, 512 })
            : (new[] { 200, 211, 250 }, new[] { 250, 1024 });
        foreach (int length in lengths)
        {
            var (input, grad) = RandomInputs(random, length);
            foreach (string kernel in KernelsOf(entry))
            {
                var separate = compiled.Driver(entry.Name, kernel, input, grad, hyper, inPlace: false);
                foreach (int spacing in spacings)
                {
                    foreach (int offset in new[] { 0, 3 })
                    {
                        var shared = compiled.Driver(entry.Name, kernel, input, grad, hyper, inPlace: false, offset, gap: spacing - length);
                        AssertSameBits(separate, shared, $"{entry.Name} {kernel}, length {length}, spacing {spacing}, offset {offset}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Destinations of 1 MiB and more are stored around the caches when the project allows unsafe code (this
    /// fixture does). The answers must be the bits that the same kernel gives on small slices, which take the
    /// ordinary path, at several alignments and in place.
    /// </summary>
    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("SigmoidDouble")]
    [InlineData("Tanh")]
    [InlineData("LeakyRelu")]
    public void Large_destinations_give_the_bits_of_small_ones(string name)
    {
        const int Length = 300_017; // the last slice, 17 elements, still fills a vector: a shorter one would be computed by the scalar method
        const int Slice = 1_000;
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var hyper = entry.Hyperparameters ?? Array.Empty<double>();
        var random = new Random(5);
        var (input, grad) = RandomInputs(random, Length);
        foreach (string kernel in KernelsOf(entry))
        {
            var sliced = new List<double>(Length);
            for (int start = 0; start < Length; start += Slice)
            {
                int count = Math.Min(Slice, Length - start);
                sliced.AddRange(compiled.Driver(entry.Name, kernel, input[start..(start + count)], grad[start..(start + count)], hyper, inPlace: false));
            }

            foreach (var (offset, inPlace) in new[] { (0, false), (1, false), (3, true), (8, true) })
            {
                var whole = compiled.Driver(entry.Name, kernel, input, grad, hyper, inPlace, offset);
                AssertSameBits(sliced.ToArray(), whole, $"{entry.Name} {kernel}, length {Length}, offset {offset}{(inPlace ? ", in place" : string.Empty)}");
            }
        }
    }

    private static IEnumerable<string> KernelsOf(CatalogueEntry entry) =>
        entry.ExpectOutputForm ? new[] { "Forward", "Derivative", "Backward", "BackwardFromOutput" } : new[] { "Forward", "Derivative", "Backward" };

    /// <summary>Inputs uniform in [−12, 12] and gradients uniform in [−1, 1], in that order from <paramref name="random"/>.</summary>
    private static (double[] Input, double[] Grad) RandomInputs(Random random, int length)
    {
        var input = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 24).ToArray();
        var grad = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (input, grad);
    }

    private static void AssertSameBits(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(actual[i]), $"{what}, element {i}: {actual[i]:R} instead of {expected[i]:R}");
        }
    }

    [Fact]
    public void Spans_are_checked_as_TensorPrimitives_checks_them()
    {
        var run = compiled.Driver;
        var ex = Assert.Throws<ArgumentException>(() => compiled.CallShortDestination());
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => compiled.CallMismatchedGradient());
        Assert.Equal("gradOutput", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => compiled.CallPartialOverlap());
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => compiled.CallPartialOverlapBackward());
        Assert.Equal("gradInput", ex.ParamName);
        Assert.Empty(run("Sigmoid", "Forward", Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>(), false));
    }

    /// <summary>
    /// ReLU spellings that differ at NaN (the ternary returns 0 where Max returns NaN), and two-slope
    /// spellings that the vector lowering turns into one Max or Min. The loops skip the per-vector NaN test
    /// only where the vector form already agrees with the scalar one, so each must come out of its kernel
    /// as it comes out of its scalar method, at ±∞ too (+0 and −0 count as equal, as everywhere in these tests).
    /// </summary>
    [Fact]
    public void NaN_comes_out_of_a_kernel_as_out_of_its_scalar_method_in_every_spelling()
    {
        const string Source = """
            using System;
            using Activations;

            public static partial class Spellings
            {
                [Activation] public static float A(float z) => z > 0f ? z : 0f;
                [Activation] public static float B(float z) => MathF.Max(0f, z);
                [Activation] public static float C(float z) => z < 0f ? 0f : z;
                [Activation] public static float D(float z) => z >= 0f ? z : 0f;
                [Activation] public static float E(float z) => MathF.Max(z, 0f);
                [Activation] public static float F(float z) { if (z < 0f) return 0f; return z; }
                [Activation] public static float G(float z) => (z + MathF.Abs(z)) * 0.5f;
                [Activation] public static float H(float z) => Math.Clamp(z, 0f, 6f);
                [Activation] public static float I(float z) => MathF.Min(MathF.Max(z, 0f), 6f);
                [Activation] public static float J(float z) => z < 0f ? 0.1f * z : z;
                [Activation] public static float K(float z) => 0f <= z ? 2f * z : 0.5f * z;
                [Activation] public static float L(float z) => z > 0f ? 0.5f * z : 3f * z;

                public static float[] Kernel(string which, float[] input)
                {
                    var output = new float[input.Length];
                    switch (which)
                    {
                        case "A": A(input, output); break;
                        case "B": B(input, output); break;
                        case "C": C(input, output); break;
                        case "D": D(input, output); break;
                        case "E": E(input, output); break;
                        case "F": F(input, output); break;
                        case "G": G(input, output); break;
                        case "H": H(input, output); break;
                        case "I": I(input, output); break;
                        case "J": J(input, output); break;
                        case "K": K(input, output); break;
                        default: L(input, output); break;
                    }

                    return output;
                }

                public static float Scalar(string which, float z) => which switch
                {
                    "A" => A(z), "B" => B(z), "C" => C(z), "D" => D(z), "E" => E(z), "F" => F(z), "G" => G(z), "H" => H(z), "I" => I(z), "J" => J(z), "K" => K(z), _ => L(z),
                };
            }
            """;
        using var loaded = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Source }, GeneratorHarness.CurrentRuntime)).Load();
        var type = loaded.Assembly.GetType("Spellings")!;
        var kernel = type.GetMethod("Kernel")!;
        var scalar = type.GetMethod("Scalar")!;
        var input = Enumerable.Range(0, 100).Select(i => i % 7 == 3 ? float.NaN : i % 11 == 5 ? float.PositiveInfinity : i % 13 == 6 ? float.NegativeInfinity : i == 20 ? -0f : i - 50f).ToArray();
        foreach (string which in new[] { "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L" })
        {
            // Known difference, documented in docs/accuracy.md: (z + |z|)·0.5 is NaN at −∞ in float arithmetic,
            // but its canonical form max(z, 0) gives 0 there, and so does the kernel.
            bool skipNegativeInfinity = which == "G";
            var output = (float[])kernel.Invoke(null, new object[] { which, input })!;
            for (int i = 0; i < input.Length; i++)
            {
                if (skipNegativeInfinity && float.IsNegativeInfinity(input[i]))
                {
                    continue;
                }

                float expected = (float)scalar.Invoke(null, new object[] { which, input[i] })!;
                Assert.True(expected.Equals(output[i]), $"{which}({input[i]}): kernel {output[i]}, scalar {expected}");
            }
        }
    }

    [Theory]
    [InlineData("DOTNET_EnableAVX512F", "Vector256")]
    [InlineData("DOTNET_EnableAVX2", "Vector128")]
    [InlineData("DOTNET_EnableHWIntrinsic", "scalar")]
    public void Kernels_give_the_same_answers_with_narrower_or_no_SIMD(string switchOff, string path)
    {
        if (Environment.GetEnvironmentVariable("ACTIVATIONS_KERNEL_CHILD") is not null)
        {
            return; // already the child run
        }

        string assembly = typeof(KernelTests).Assembly.Location;
        string filter = "FullyQualifiedName~KernelTests.Every_kernel|FullyQualifiedName~KernelTests.Special_values|FullyQualifiedName~KernelTests.Every_alignment"
            + (TestSizes.NarrowPathsIncludeLargeDestinations ? "|FullyQualifiedName~KernelTests.Large" : string.Empty);
        var start = new ProcessStartInfo("dotnet", $"test \"{assembly}\" --filter \"{filter}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ACTIVATIONS_KERNEL_CHILD"] = "1";
        start.Environment[switchOff] = "0";
        if (switchOff == "DOTNET_EnableAVX2")
        {
            start.Environment["DOTNET_EnableAVX512F"] = "0";
        }

        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd() + child.StandardError.ReadToEnd();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, $"{path} path failed:\n{string.Join("\n", output.Split('\n').Where(l => l.Contains("Error Message") || l.Contains("kernel") || l.Contains("Failed")).Take(20))}");
        Assert.Contains("Passed!", output);
    }

    private void CheckAll(CatalogueEntry entry, double[] input, double[] grad, bool inPlace, string what)
    {
        var hyper = entry.Hyperparameters ?? Array.Empty<double>();
        var scalarForward = compiled.Scalar(entry, string.Empty);
        var scalarDerivative = compiled.Scalar(entry, "Derivative");
        var scalarFromOutput = entry.ExpectOutputForm ? compiled.Scalar(entry, "DerivativeFromOutput") : null;

        var forward = compiled.Driver(entry.Name, "Forward", input, grad, hyper, inPlace);
        var derivative = compiled.Driver(entry.Name, "Derivative", input, grad, hyper, inPlace);
        var backward = compiled.Driver(entry.Name, "Backward", input, grad, hyper, inPlace);
        for (int i = 0; i < input.Length; i++)
        {
            double z = entry.IsDouble ? input[i] : (float)input[i];
            double g = entry.IsDouble ? grad[i] : (float)grad[i];
            AssertClose(z, scalarForward(z), forward[i], entry.Forward(z), entry, $"{entry.Name}({z:R}) [{what}, element {i}]");
            double d = scalarDerivative(z);
            AssertClose(z, d, derivative[i], entry.Derivative(z), entry, $"{entry.Name}Derivative({z:R}) [{what}, element {i}]");
            AssertClose(z, entry.IsDouble ? g * d : (float)(g * d), backward[i], g * entry.Derivative(z), entry, $"{entry.Name}Backward({z:R}, {g}) [{what}, element {i}]", g);
        }

        if (scalarFromOutput is not null)
        {
            var outputs = input.Select(v => scalarForward(entry.IsDouble ? v : (float)v)).ToArray();
            var fromOutput = compiled.Driver(entry.Name, "BackwardFromOutput", outputs, grad, hyper, inPlace);
            for (int i = 0; i < outputs.Length; i++)
            {
                double z = entry.IsDouble ? input[i] : (float)input[i];
                double g = entry.IsDouble ? grad[i] : (float)grad[i];
                double d = scalarFromOutput(outputs[i]);
                // A NaN output (the scalar forward overflowed) has no derivative to compare with: NaN in, NaN out.
                double reference = double.IsNaN(outputs[i]) ? double.NaN : g * entry.Derivative(z);
                AssertClose(z, entry.IsDouble ? g * d : (float)(g * d), fromOutput[i], reference, entry, $"{entry.Name}BackwardFromOutput({outputs[i]:R}) [{what}, element {i}]", g);
            }
        }
    }

    /// <summary>
    /// Close means within <see cref="MaxUlpsFromScalar"/> ULP of the scalar method, or within 4 ULP of 1
    /// (times the gradient for backward kernels), or no farther from the exact value than twice the scalar
    /// method's own error plus 8 ULP. A value formed as 1 − y or z·(1 − t)(1 + t) carries no more absolute
    /// accuracy than its terms, and vector Exp/Tanh round differently from MathF's by an ULP, so where the
    /// scalar method is itself inexact the kernel is held to being at least about as accurate.
    /// The accuracy tests hold sigmoid and tanh to 4 ULP of the exact value with no allowance.
    /// </summary>
    /// <summary>The largest magnitude of the accuracy grid (docs/accuracy.md).</summary>
    private const double AccuracyGridBound = 7_100;

    private static void AssertClose(double z, double expected, double actual, double reference, CatalogueEntry entry, string what, double scale = 1)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            // Where the true value is finite and the scalar method (the user's arithmetic) is not, the kernel
            // computes the same function stably and must give the true value (docs/accuracy.md).
            // Held over the accuracy grid (|z| ≤ 7,100); beyond it the kernel may also share the scalar's
            // overflow (GELU′ at 1e30, whose z³ overflows in float; docs/accuracy.md).
            bool finiteInType = double.IsFinite(reference) && (entry.IsDouble || Math.Abs(reference) <= float.MaxValue);
            if (finiteInType && (Math.Abs(z) <= AccuracyGridBound || double.IsFinite(actual)))
            {
                Assert.True(double.IsFinite(actual) && Ulp.Error(actual, reference, entry.IsDouble) <= 8, $"{what}: kernel {actual:R}, scalar {expected:R}, exact {reference:R}");
                return;
            }

            Assert.True(expected.Equals(actual), $"{what}: kernel {actual:R}, scalar {expected:R}");
            return;
        }

        double ulps = Ulp.Distance(expected, actual, entry.IsDouble);
        double ulpOfOne = entry.IsDouble ? Math.BitIncrement(1.0) - 1 : MathF.BitIncrement(1f) - 1;
        bool close = ulps <= MaxUlpsFromScalar || Math.Abs(expected - actual) <= 4 * ulpOfOne * Math.Max(1, Math.Abs(scale));
        if (!close && double.IsFinite(reference))
        {
            double kernelError = Ulp.Error(actual, reference, entry.IsDouble);
            double scalarError = Ulp.Error(expected, reference, entry.IsDouble);
            close = kernelError <= 2 * scalarError + 8;
        }

        Assert.True(close, $"{what}: kernel {actual:R}, scalar {expected:R}, exact {reference:R} ({ulps} ULP apart)");
    }

    /// <summary>The catalogue with a driver for its span kernels, compiled once.</summary>
    public sealed class CompiledKernels : IDisposable
    {
        private readonly LoadedAssembly assembly;

        public CompiledKernels()
        {
            var sources = new[] { Catalogue.Source, KernelDriver.Source(Catalogue.Entries), SpanChecks };
            // The user's project does not allow unsafe code: the runtime's loops store around the caches anyway.
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(sources, GeneratorHarness.CurrentRuntime));
            assembly = run.Load();
            Driver = KernelDriver.Bind(assembly.Assembly);
        }

        public KernelRun Driver { get; }

        public Func<double, double> Scalar(CatalogueEntry entry, string suffix)
        {
            var hyper = entry.Hyperparameters ?? Array.Empty<double>();
            var method = assembly.Method(Catalogue.TypeName, entry.Name + suffix, 1 + hyper.Length);
            return z => method(new[] { z }.Concat(hyper).ToArray());
        }

        public void CallShortDestination() => Call("ShortDestination");

        public void CallMismatchedGradient() => Call("MismatchedGradient");

        public void CallPartialOverlap() => Call("PartialOverlap");

        public void CallPartialOverlapBackward() => Call("PartialOverlapBackward");

        public void Dispose() => assembly.Dispose();

        private void Call(string method)
        {
            try
            {
                assembly.Assembly.GetType("Catalogue.SpanChecks", throwOnError: true)!.GetMethod(method)!.Invoke(null, null);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        private const string SpanChecks = """
            namespace Catalogue;
            public static class SpanChecks
            {
                public static void ShortDestination() => Act.Sigmoid(new float[40], new float[39]);
                public static void MismatchedGradient() => Act.SigmoidBackward(new float[40], new float[41], new float[40]);
                public static void PartialOverlap()
                {
                    var buffer = new float[80];
                    Act.Sigmoid(new System.ReadOnlySpan<float>(buffer, 0, 40), new System.Span<float>(buffer, 1, 40));
                }

                public static void PartialOverlapBackward()
                {
                    var buffer = new float[80];
                    Act.ReluBackward(new float[40], new System.ReadOnlySpan<float>(buffer, 0, 40), new System.Span<float>(buffer, 3, 40));
                }
            }
            """;
    }
}
