using BenchmarkDotNet.Attributes;

namespace Activations.Benchmarks;

/// <summary>
/// How far one method's time moves within a single process at n = 16.7 M, where every one-pass kernel
/// waits on memory: <c>TensorPrimitives.Max(x, 0)</c> and the generated ReLU run four times each on the
/// buffer of <see cref="StreamingCeilingBenchmarks"/>, in the order ABBAABBA so that a drift over the run
/// favours neither. The spread between the runs of one method is the resolution of any ratio measured at
/// this size on this machine.
/// </summary>
[Config(typeof(SameProcessConfig))]
public class StreamingSpreadBenchmarks
{
    private readonly StreamingCeilingBenchmarks kernels = new() { N = 16_777_216 };

    [GlobalSetup]
    public void Setup() => kernels.Setup();

    [Benchmark(Baseline = true, Description = "1: TensorPrimitives.Max")]
    public void TensorPrimitives1() => kernels.TensorPrimitivesMaxZero();

    [Benchmark(Description = "2: ReLU")]
    public void Relu2() => kernels.GeneratedRelu();

    [Benchmark(Description = "3: ReLU")]
    public void Relu3() => kernels.GeneratedRelu();

    [Benchmark(Description = "4: TensorPrimitives.Max")]
    public void TensorPrimitives4() => kernels.TensorPrimitivesMaxZero();

    [Benchmark(Description = "5: TensorPrimitives.Max")]
    public void TensorPrimitives5() => kernels.TensorPrimitivesMaxZero();

    [Benchmark(Description = "6: ReLU")]
    public void Relu6() => kernels.GeneratedRelu();

    [Benchmark(Description = "7: ReLU")]
    public void Relu7() => kernels.GeneratedRelu();

    [Benchmark(Description = "8: TensorPrimitives.Max")]
    public void TensorPrimitives8() => kernels.TensorPrimitivesMaxZero();
}
