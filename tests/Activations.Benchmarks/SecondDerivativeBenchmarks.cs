using Activations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Activations.Benchmarks;

/// <summary>The generated g″ span kernels against a loop over the generated scalar g″ (the goal is 4×).</summary>
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class SecondDerivativeBenchmarks
{
    [Params(1_024, 65_536)]
    public int N { get; set; }

    private float[] z = null!;
    private float[] destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        z = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        destination = new float[N];
    }

    [BenchmarkCategory("sigmoid second derivative"), Benchmark(Baseline = true)]
    public void ScalarLoopSigmoid()
    {
        for (int i = 0; i < z.Length; i++)
        {
            destination[i] = Bench.SigmoidSecondDerivative(z[i]);
        }
    }

    [BenchmarkCategory("sigmoid second derivative"), Benchmark]
    public void KernelSigmoid() => Bench.SigmoidSecondDerivative(z, destination);

    [BenchmarkCategory("tanh second derivative"), Benchmark(Baseline = true)]
    public void ScalarLoopTanh()
    {
        for (int i = 0; i < z.Length; i++)
        {
            destination[i] = Bench.TanhSecondDerivative(z[i]);
        }
    }

    [BenchmarkCategory("tanh second derivative"), Benchmark]
    public void KernelTanh() => Bench.TanhSecondDerivative(z, destination);
}
