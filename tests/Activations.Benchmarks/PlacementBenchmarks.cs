using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Activations.Benchmarks;

/// <summary>
/// ReLU and Leaky ReLU against <c>TensorPrimitives.Max(x, 0)</c> at n = 1,024, with input and destination at
/// chosen distances inside one native buffer. Where two arrays land decides whether a loop's loads collide
/// with the stores it has just made in the low 12 address bits (4K aliasing); in <see cref="KernelBenchmarks"/>
/// the GC picks the placement, so this benchmark fixes it and sweeps it instead.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 10, iterationCount: 15)]
public unsafe class PlacementBenchmarks
{
    [Params(1_024)]
    public int N { get; set; }

    /// <summary>How far the destination lies past the input, in bytes, modulo 4 KiB.</summary>
    [Params(24, 168, 360, 1_032, 2_048, 3_064)]
    public int DistanceBytes { get; set; }

    private byte* buffer;
    private float* input;
    private float* destination;

    [GlobalSetup]
    public void Setup()
    {
        buffer = (byte*)NativeMemory.AlignedAlloc(1 << 20, 4096);

        // 8 bytes past a 64-byte boundary, as the data of a float[] may be; the destination a few pages on.
        input = (float*)(buffer + 4096 + 8);
        destination = (float*)((byte*)input + 5 * 4096 + DistanceBytes);
        var random = new Random(42);
        for (int i = 0; i < N; i++)
        {
            input[i] = (float)(random.NextDouble() * 16 - 8);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(buffer);

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesMaxZero() => ReluSubjects.TensorPrimitivesMaxZero(input, destination, N);

    [Benchmark]
    public void GeneratedRelu() => ReluSubjects.GeneratedRelu(input, destination, N);

    [Benchmark]
    public void GeneratedLeakyRelu() => ReluSubjects.GeneratedLeakyRelu(input, destination, N);
}
