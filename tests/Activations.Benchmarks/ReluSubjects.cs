using System.Numerics.Tensors;

namespace Activations.Benchmarks;

/// <summary>
/// The three kernels that <see cref="PlacementBenchmarks"/> and <see cref="StreamingCeilingBenchmarks"/> compare,
/// on n floats at addresses the benchmark chose: written once, so both measure the same calls.
/// </summary>
internal static unsafe class ReluSubjects
{
    public static void TensorPrimitivesMaxZero(float* input, float* destination, int n) =>
        TensorPrimitives.Max(new ReadOnlySpan<float>(input, n), 0f, new Span<float>(destination, n));

    public static void GeneratedRelu(float* input, float* destination, int n) =>
        Bench.Relu(new ReadOnlySpan<float>(input, n), new Span<float>(destination, n));

    public static void GeneratedLeakyRelu(float* input, float* destination, int n) =>
        Bench.LeakyRelu(new ReadOnlySpan<float>(input, n), new Span<float>(destination, n));
}
