using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Activations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Activations.Benchmarks;

/// <summary>
/// Generated kernels (from Activations.Benchmarks.Subjects, a project without AllowUnsafeBlocks) against
/// TensorPrimitives and plain loops, side by side in one run. Long warm-ups:
/// short jobs calibrate on code the JIT has not optimised yet and mis-measure exp-heavy kernels.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class KernelBenchmarks
{
    [Params(1_024, 65_536, 16_777_216)]
    public int N { get; set; }

    private float[] z = null!;
    private float[] y = null!;
    private float[] grad = null!;
    private float[] destination = null!;
    private float[] scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        z = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        y = z.Select(Bench.Sigmoid).ToArray();
        grad = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        destination = new float[N];
        scratch = new float[N];
    }

    [BenchmarkCategory("sigmoid forward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesSigmoid() => TensorPrimitives.Sigmoid(z, destination);

    [BenchmarkCategory("sigmoid forward"), Benchmark]
    public void GeneratedSigmoid() => Bench.Sigmoid(z, destination);

    [BenchmarkCategory("tanh forward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesTanh() => TensorPrimitives.Tanh(z, destination);

    [BenchmarkCategory("tanh forward"), Benchmark]
    public void GeneratedTanh() => Bench.Tanh(z, destination);

    [BenchmarkCategory("relu forward"), Benchmark(Baseline = true)]
    public void TensorPrimitivesMaxZero() => TensorPrimitives.Max(z, 0f, destination);

    [BenchmarkCategory("relu forward"), Benchmark]
    public void VectorCopy()
    {
        ref float source = ref MemoryMarshal.GetArrayDataReference(z);
        ref float target = ref MemoryMarshal.GetArrayDataReference(destination);
        int i = 0;
        for (; i <= z.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            Vector512.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        }

        for (; i < z.Length; i++)
        {
            destination[i] = z[i];
        }
    }

    [BenchmarkCategory("relu forward"), Benchmark]
    public void GeneratedRelu() => Bench.Relu(z, destination);

    [BenchmarkCategory("relu forward"), Benchmark]
    public void GeneratedLeakyRelu() => Bench.LeakyRelu(z, destination);

    [BenchmarkCategory("sigmoid derivative"), Benchmark(Baseline = true)]
    public void ScalarLoopSigmoidDerivative()
    {
        for (int i = 0; i < z.Length; i++)
        {
            destination[i] = Bench.SigmoidDerivative(z[i]);
        }
    }

    [BenchmarkCategory("sigmoid derivative"), Benchmark]
    public void GeneratedSigmoidDerivative() => Bench.SigmoidDerivative(z, destination);

    [BenchmarkCategory("tanh derivative"), Benchmark(Baseline = true)]
    public void ScalarLoopTanhDerivative()
    {
        for (int i = 0; i < z.Length; i++)
        {
            destination[i] = Bench.TanhDerivative(z[i]);
        }
    }

    [BenchmarkCategory("tanh derivative"), Benchmark]
    public void GeneratedTanhDerivative() => Bench.TanhDerivative(z, destination);

    /// <summary>gradInput = gradOutput · y · (1 − y) in three TensorPrimitives passes.</summary>
    [BenchmarkCategory("sigmoid backward from output"), Benchmark(Baseline = true)]
    public void TensorPrimitivesBackwardFromOutput()
    {
        TensorPrimitives.Subtract(1f, y, scratch);
        TensorPrimitives.Multiply(scratch, y, scratch);
        TensorPrimitives.Multiply(scratch, grad, destination);
    }

    [BenchmarkCategory("sigmoid backward from output"), Benchmark]
    public void GeneratedBackwardFromOutput() => Bench.SigmoidBackwardFromOutput(y, grad, destination);

    /// <summary>gradInput = gradOutput · σ(z) · (1 − σ(z)): sigmoid first, then the three passes.</summary>
    [BenchmarkCategory("sigmoid backward from input"), Benchmark(Baseline = true)]
    public void TensorPrimitivesBackwardFromInput()
    {
        TensorPrimitives.Sigmoid(z, destination);
        TensorPrimitives.Subtract(1f, destination, scratch);
        TensorPrimitives.Multiply(scratch, destination, scratch);
        TensorPrimitives.Multiply(scratch, grad, destination);
    }

    [BenchmarkCategory("sigmoid backward from input"), Benchmark]
    public void GeneratedBackwardFromInput() => Bench.SigmoidBackward(z, grad, destination);

    /// <summary>gradInput = gradOutput · (1 − tanh²): tanh, then Multiply, Subtract, Multiply.</summary>
    [BenchmarkCategory("tanh backward from input"), Benchmark(Baseline = true)]
    public void TensorPrimitivesTanhBackward()
    {
        TensorPrimitives.Tanh(z, destination);
        TensorPrimitives.Multiply(destination, destination, scratch);
        TensorPrimitives.Subtract(1f, scratch, scratch);
        TensorPrimitives.Multiply(scratch, grad, destination);
    }

    [BenchmarkCategory("tanh backward from input"), Benchmark]
    public void GeneratedTanhBackward() => Bench.TanhBackward(z, grad, destination);
}
