using Activations.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Activations.Generator.Tests;

/// <summary>
/// The span kernels against the exact value (a double reference, for float activations): the numbers in
/// docs/accuracy.md come from this test's output.
/// </summary>
public sealed class AccuracyTests : IClassFixture<KernelTests.CompiledKernels>
{
    private readonly KernelTests.CompiledKernels compiled;
    private readonly ITestOutputHelper output;

    public AccuracyTests(KernelTests.CompiledKernels compiled, ITestOutputHelper output)
    {
        this.compiled = compiled;
        this.output = output;
    }

    /// <summary>A dense grid over [−100, 100], tiny magnitudes down to 1e-30, and the tails.</summary>
    public static double[] Grid()
    {
        var points = new List<double>();
        for (int i = -20000; i <= 20000; i++)
        {
            points.Add(i / 200.0);
        }

        for (int e = -30; e <= 3; e++)
        {
            foreach (double m in new[] { 1.0, 1.7, 3.3, 7.1 })
            {
                points.Add(m * Math.Pow(10, e));
                points.Add(-m * Math.Pow(10, e));
            }
        }

        return points.Select(p => (double)(float)p).Distinct().ToArray();
    }

    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void Sigmoid_and_tanh_kernels_are_within_4_ULP_of_the_exact_value_everywhere(string name)
    {
        var entry = Catalogue.Entries.Single(e => e.Name == name);
        var grid = Grid();
        var kernel = compiled.Driver(name, "Forward", grid, grid, Array.Empty<double>(), false);
        double worst = 0;
        double worstAt = 0;
        for (int i = 0; i < grid.Length; i++)
        {
            double reference = entry.Forward(grid[i]);
            if (Math.Abs(reference) < 1.2e-38)
            {
                continue; // subnormal results: ULPs there are absolute steps of 1.4e-45
            }

            double error = Ulp.Error(kernel[i], reference, isDouble: false);
            if (error > worst)
            {
                (worst, worstAt) = (error, grid[i]);
            }
        }

        output.WriteLine($"{name}: max {worst:F2} ULP at z = {worstAt:R}");
        Assert.True(worst <= 4, $"{name} kernel is {worst:F2} ULP off at z = {worstAt:R}");

        // The sign is right at the smallest magnitudes (TensorPrimitives.Tanh returns −0 … for 1e-20).
        var tiny = compiled.Driver(name, "Forward", new[] { 1e-20, -1e-20 }, new[] { 0.0, 0.0 }, Array.Empty<double>(), false);
        Assert.Equal(Math.Sign(entry.Forward(1e-20)), Math.Sign(tiny[0]));
        Assert.Equal(Math.Sign(entry.Forward(-1e-20)), Math.Sign(tiny[1]));
    }

    [Fact]
    public void Maximum_errors_of_every_kernel_are_measured()
    {
        var grid = Grid();
        output.WriteLine("| activation | forward kernel | forward scalar | derivative kernel | derivative scalar | forward kernel, tails | forward scalar, tails |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        int measured = 0;

        // Float activations only: a double reference cannot measure double results in ULPs.
        foreach (var entry in Catalogue.Entries.Where(e => e.Hyperparameters is null && !e.IsDouble))
        {
            var forward = compiled.Driver(entry.Name, "Forward", grid, grid, Array.Empty<double>(), false);
            var derivative = compiled.Driver(entry.Name, "Derivative", grid, grid, Array.Empty<double>(), false);
            var scalarForward = compiled.Scalar(entry, string.Empty);
            var scalarDerivative = compiled.Scalar(entry, "Derivative");
            double fk = 0, fs = 0, dk = 0, ds = 0, tk = 0, ts = 0;
            for (int i = 0; i < grid.Length; i++)
            {
                double z = grid[i];
                double f = entry.Forward(z);
                double d = entry.Derivative(z);
                if (!double.IsFinite(scalarForward(z)))
                {
                    continue;
                }

                // Bulk: values of at least 1e-3, where every formula in the catalogue keeps its digits.
                if (double.IsFinite(f) && Math.Abs(f) >= 1e-3)
                {
                    fk = Math.Max(fk, Ulp.Error(forward[i], f, false));
                    fs = Math.Max(fs, Ulp.Error(scalarForward(z), f, false));
                }
                else if (double.IsFinite(f) && Math.Abs(f) >= 1.2e-38)
                {
                    // Tails: log(1 + e^z) for z ≪ 0 and the like lose every digit in float, kernel and scalar alike.
                    tk = Math.Max(tk, Ulp.Error(forward[i], f, false));
                    ts = Math.Max(ts, Ulp.Error(scalarForward(z), f, false));
                }

                if (double.IsFinite(d) && Math.Abs(d) >= 1e-3)
                {
                    dk = Math.Max(dk, Ulp.Error(derivative[i], d, false));
                    ds = Math.Max(ds, Ulp.Error(scalarDerivative(z), d, false));
                }
            }

            output.WriteLine($"| {entry.Name} | {fk:F1} | {fs:F1} | {dk:F1} | {ds:F1} | {tk:G3} | {ts:G3} |");
            Assert.True(double.IsFinite(fk) && double.IsFinite(dk), $"{entry.Name}: a kernel produced a non-finite value where the exact one is finite");
            measured++;
        }

        Assert.Equal(Catalogue.Entries.Count(e => e.Hyperparameters is null && !e.IsDouble), measured);
    }
}
