using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Activations.Benchmarks;

/// <summary>
/// How fast any one-pass kernel can stream n floats in and n floats out on this machine, next to ReLU,
/// Leaky ReLU and <c>TensorPrimitives.Max(x, 0)</c>. The fastest copy we could write (aligned stores,
/// four vectors per iteration, non-temporal from 1 MiB as the generated loops) is the ceiling: ReLU reads
/// and writes the same bytes and cannot go faster. Reading alone and writing alone show what each side
/// costs, and <see cref="ClockCycles"/> the clock the processor runs at, to turn times into bytes per cycle.
/// Input and destination lie 2,048 bytes apart modulo 4 KiB, so that no placement effect (see
/// <see cref="PlacementBenchmarks"/>) favours one method, and all methods run in one process on the same
/// buffer: in separate processes the pages differ, and at n = 16.7 M that alone moved a method's time by
/// up to 8 % from one run to the next.
/// </summary>
[Config(typeof(SameProcessConfig))]
public unsafe class StreamingCeilingBenchmarks
{
    private const int NonTemporalThresholdBytes = 1 << 20;

    [Params(65_536, 16_777_216)]
    public int N { get; set; }

    /// <summary>One buffer per n for the whole process, so every method streams through the same pages.</summary>
    private static readonly Dictionary<int, nint> Buffers = new();

    private float* input;
    private float* destination;

    [GlobalSetup]
    public void Setup()
    {
        nuint bytes = (nuint)N * sizeof(float);
        nuint pages = (bytes + 4095) & ~(nuint)4095;
        if (!Buffers.TryGetValue(N, out nint buffer))
        {
            buffer = (nint)NativeMemory.AlignedAlloc(2 * pages + 3 * 4096, 4096);
            Buffers.Add(N, buffer);
        }

        // 8 bytes past a 64-byte boundary, as the data of a float[] may be.
        input = (float*)((byte*)buffer + 4096 + 8);
        destination = (float*)((byte*)input + pages + 2048);
        var random = new Random(42);
        for (int i = 0; i < N; i++)
        {
            input[i] = (float)(random.NextDouble() * 16 - 8);
            destination[i] = 1f;
        }
    }

    private bool NonTemporal => (long)N * sizeof(float) >= NonTemporalThresholdBytes;

    /// <summary>Floats before the first 64-byte-aligned destination element; the copies start there.</summary>
    private nuint Head => (64 - ((nuint)destination & 63)) % 64 / sizeof(float);

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesMaxZero() => ReluSubjects.TensorPrimitivesMaxZero(input, destination, N);

    [Benchmark]
    public void GeneratedRelu() => ReluSubjects.GeneratedRelu(input, destination, N);

    [Benchmark]
    public void GeneratedLeakyRelu() => ReluSubjects.GeneratedLeakyRelu(input, destination, N);

    [Benchmark]
    public void SpanCopyTo() => new ReadOnlySpan<float>(input, N).CopyTo(new Span<float>(destination, N));

    /// <summary>The ceiling: aligned copy of the whole 64-byte blocks (the head and tail, under 128 bytes, are left out).</summary>
    [Benchmark]
    public void AlignedCopy()
    {
        if (NonTemporal)
        {
            Copy<AroundCaches>(0, (nuint)N - Head);
        }
        else
        {
            Copy<Cached>(0, (nuint)N - Head);
        }
    }

    /// <summary>
    /// The same copy split in two halves, one on each core (the calling thread and one from the pool): what a
    /// kernel could gain by starting threads of its own, which the generated ones do not.
    /// </summary>
    [Benchmark]
    public void AlignedCopyOnTwoCores()
    {
        nuint length = (nuint)N - Head;
        nuint half = length / 128 * 64;
        if (NonTemporal)
        {
            Parallel.Invoke(() => Copy<AroundCaches>(0, half), () => Copy<AroundCaches>(half, length - half));
        }
        else
        {
            Parallel.Invoke(() => Copy<Cached>(0, half), () => Copy<Cached>(half, length - half));
        }
    }

    /// <summary>Reading alone: a sum over four independent accumulators.</summary>
    [Benchmark]
    public float ReadOnly()
    {
        float* from = input;
        Vector512<float> a = default, b = default, c = default, d = default;
        for (nuint blocks = (nuint)N / 64; blocks != 0; blocks--, from += 64)
        {
            a += Vector512.Load(from);
            b += Vector512.Load(from + 16);
            c += Vector512.Load(from + 32);
            d += Vector512.Load(from + 48);
        }

        return Vector512.Sum(a + b + c + d);
    }

    /// <summary>Writing alone: aligned stores of a constant, non-temporal from 1 MiB.</summary>
    [Benchmark]
    public void WriteOnly()
    {
        if (NonTemporal)
        {
            Fill<AroundCaches>();
        }
        else
        {
            Fill<Cached>();
        }
    }

    /// <summary>Copies the whole 64-byte blocks of <paramref name="count"/> elements from <paramref name="start"/> past the head.</summary>
    private void Copy<TStore>(nuint start, nuint count)
        where TStore : struct, IStore
    {
        nuint first = Head + start;
        float* source = input + first;
        float* target = destination + first;
        for (nuint blocks = count / 64; blocks != 0; blocks--, source += 64, target += 64)
        {
            Vector512<float> a = Vector512.Load(source), b = Vector512.Load(source + 16), c = Vector512.Load(source + 32), d = Vector512.Load(source + 48);
            StoreBlock<TStore>(a, b, c, d, target);
        }
    }

    private void Fill<TStore>()
        where TStore : struct, IStore
    {
        nuint head = Head;
        float* to = destination + head;
        Vector512<float> value = Vector512.Create(0.5f);
        for (nuint blocks = ((nuint)N - head) / 64; blocks != 0; blocks--, to += 64)
        {
            StoreBlock<TStore>(value, value, value, value, to);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBlock<TStore>(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* to)
        where TStore : struct, IStore
    {
        TStore store = default;
        store.Store(a, to);
        store.Store(b, to + 16);
        store.Store(c, to + 32);
        store.Store(d, to + 48);
    }

    /// <summary>How the copies store a vector at a 64-byte-aligned address: the JIT compiles each kind apart.</summary>
    private interface IStore
    {
        void Store(Vector512<float> value, float* at);
    }

    private struct Cached : IStore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(Vector512<float> value, float* at) => Vector512.StoreAligned(value, at);
    }

    private struct AroundCaches : IStore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(Vector512<float> value, float* at) => Vector512.StoreAlignedNonTemporal(value, at);
    }

    /// <summary>
    /// 16 million clock cycles, whatever n is: a chain of 16 dependent one-cycle integer operations (xor, add)
    /// per iteration, a million iterations. Its time divided by 16 million is one cycle.
    /// </summary>
    [Benchmark]
    public long ClockCycles()
    {
        long x = N, a = 0x1234, b = 77;
        for (int i = 0; i < 1_000_000; i++)
        {
            x = (x ^ a) + b;
            x = (x ^ b) + a;
            x = (x ^ a) + b;
            x = (x ^ b) + a;
            x = (x ^ a) + b;
            x = (x ^ b) + a;
            x = (x ^ a) + b;
            x = (x ^ b) + a;
        }

        return x;
    }
}

/// <summary>Every benchmark in the host process (so static buffers are shared), 10 warm-up and 20 measured iterations.</summary>
public sealed class SameProcessConfig : ManualConfig
{
    public SameProcessConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(10).WithIterationCount(20));
}
