using System.Numerics.Tensors;
using Activations.Kernels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Activations.Benchmarks;

/// <summary>The runtime's softmax against TensorPrimitives.SoftMax, and its fused backward against the TensorPrimitives composition.</summary>
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class SoftmaxBenchmarks
{
    [Params(1_024, 65_536)]
    public int N { get; set; }

    private float[] x = null!;
    private float[] y = null!;
    private float[] grad = null!;
    private float[] destination = null!;
    private float[] scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        x = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        y = new float[N];
        Softmax.Forward(x, y);
        grad = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        destination = new float[N];
        scratch = new float[N];
    }

    [BenchmarkCategory("softmax forward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftMax() => TensorPrimitives.SoftMax(x, destination);

    [BenchmarkCategory("softmax forward"), Benchmark]
    public void RuntimeSoftmax() => Softmax.Forward(x, destination);

    /// <summary>gradInput = y ⊙ (gradOutput − Σ gradOutput·y): Dot, Subtract, Multiply.</summary>
    [BenchmarkCategory("softmax backward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftmaxBackward()
    {
        float dot = TensorPrimitives.Dot(grad, y);
        TensorPrimitives.Subtract(grad, dot, scratch);
        TensorPrimitives.Multiply(scratch, y, destination);
    }

    [BenchmarkCategory("softmax backward"), Benchmark]
    public void RuntimeSoftmaxBackward() => Softmax.Backward(y, grad, destination);
}
