using System.Numerics.Tensors;
using Activations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Activations.Benchmarks;

/// <summary>
/// The fused backward passes of activations that train against the best composition of TensorPrimitives calls
/// that computes the same results (goals: SwiGLU ≥ 2.5×, PReLU with its parameter gradient ≥ 2×).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class TrainingBenchmarks
{
    [Params(1_024, 65_536, 16_777_216)]
    public int N { get; set; }

    private float[] a = null!, b = null!, grad = null!, gradA = null!, gradB = null!, s = null!, t = null!, u = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        float[] Uniform() => Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        (a, b, grad) = (Uniform(), Uniform(), Uniform());
        (gradA, gradB, s, t, u) = (new float[N], new float[N], new float[N], new float[N], new float[N]);
    }

    /// <summary>
    /// gradUp = g·a·σ(a), gradGate = g·up·(σ + aσ(1 − σ)) = g·up·(σ + swish·(1 − σ)): Sigmoid, Multiply (swish),
    /// Multiply (gradUp), Subtract, MultiplyAdd, Multiply, Multiply; three temporaries.
    /// </summary>
    [BenchmarkCategory("swiglu backward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesSwiGluBackward()
    {
        TensorPrimitives.Sigmoid(a, s);
        TensorPrimitives.Multiply(a, s, t);
        TensorPrimitives.Multiply(t, grad, gradB);
        TensorPrimitives.Subtract(1f, s, u);
        TensorPrimitives.MultiplyAdd(t, u, s, u);
        TensorPrimitives.Multiply(u, b, u);
        TensorPrimitives.Multiply(u, grad, gradA);
    }

    [BenchmarkCategory("swiglu backward"), Benchmark]
    public void GeneratedSwiGluBackward() => Bench.SwiGluBackward(a, b, grad, gradA, gradB);

    /// <summary>
    /// ∂L/∂α = Σ g·min(z, 0) and gradInput = g·PReLU(z)/z (the slope, z ≠ 0 here; TensorPrimitives has no select):
    /// Min, Dot, Max, MultiplyAdd, Divide, Multiply.
    /// </summary>
    [BenchmarkCategory("prelu backward with parameter gradient"), Benchmark(Baseline = true)]
    public float TensorPrimitivesPReluBackward()
    {
        TensorPrimitives.Min(a, 0f, s);
        float gradAlpha = TensorPrimitives.Dot(s, grad);
        TensorPrimitives.Max(a, 0f, t);
        TensorPrimitives.MultiplyAdd(s, 0.25f, t, t);
        TensorPrimitives.Divide(t, a, t);
        TensorPrimitives.Multiply(t, grad, gradA);
        return gradAlpha;
    }

    [BenchmarkCategory("prelu backward with parameter gradient"), Benchmark]
    public float GeneratedPReluBackward() => Bench.PReluBackwardWithParameterGradient(a, grad, gradA, 0.25f);
}
