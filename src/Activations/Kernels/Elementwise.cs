using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    /// <summary>
    /// The span loops of the generated kernels, public so that your own <see cref="IElementwiseOperator{T}"/>
    /// runs through them too: <c>destination[i] = op(x[i])</c> and the fused
    /// <c>destination[i] = multiplier[i] · op(x[i])</c> of a backward pass.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The widest accelerated vector is used (Vector512, Vector256, then Vector128), four vectors per
    /// iteration stored at vector-aligned addresses; the unaligned head and the tail are one overlapping
    /// vector each, loaded before any store, so the destination may be the very same memory as an input.
    /// Destinations of <see cref="NonTemporalThresholdBytes"/> or more are stored around the caches
    /// (non-temporal stores): at that size input and output together outgrow a core's L2, and a later reader
    /// would find them evicted anyway. Your project needs no unsafe code for that; this assembly pins.
    /// </para>
    /// <para>
    /// Every element goes through the operator's vector form (a span shorter than one vector is padded into
    /// one), except NaN inputs: their lanes are recomputed with the scalar form, so NaN comes out exactly as
    /// from scalar code, unless the operator has no parameters and its vector forms were found to give NaN
    /// exactly as its scalar form does (then nothing is recomputed). A scalar form that throws for NaN
    /// (ArithmeticException or ArgumentException, as <c>MathF.Sign</c> does) is not called again for it: the
    /// vector form's value stays, so no kernel throws for any input.
    /// </para>
    /// </remarks>
    public static unsafe partial class Elementwise
    {
        /// <summary>
        /// Destinations from this many bytes on are stored around the caches: input and output together then
        /// outgrow a 1 MiB L2 (this project's Zen 5 machine), and a later reader would find them evicted
        /// anyway. The crossover itself has not been measured yet (docs/benchmarks.md).
        /// </summary>
        public const int NonTemporalThresholdBytes = 1 << 20;

        /// <summary>
        /// The most that inputs and destination together may occupy for a loop to walk down (see
        /// <see cref="WalksDown"/>): what fits in a 32 KiB L1. Beyond the L1 the prefetchers serve ascending
        /// streams only; 65,536 floats walked down took 3.8 µs instead of 2.1.
        /// </summary>
        private const int WalkDownMaxBytes = 32 << 10;

        /// <summary>Applies <paramref name="op"/> to each element: <c>destination[i] = op(x[i])</c>.</summary>
        /// <typeparam name="TOperator">The operator; a struct, so that the loop is compiled for it.</typeparam>
        /// <param name="x">The inputs.</param>
        /// <param name="destination">Where the results go: at least as long as <paramref name="x"/>, and either
        /// apart from it or the very same memory (in place).</param>
        /// <param name="op">The function.</param>
        /// <param name="destinationName">The name reported in an <see cref="ArgumentException"/>; the caller's
        /// expression by default.</param>
        /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>,
        /// or overlaps it without being the very same memory.</exception>
        public static void Map<TOperator>(ReadOnlySpan<float> x, Span<float> destination, TOperator op, [CallerArgumentExpression(nameof(destination))] string destinationName = "destination")
            where TOperator : struct, IElementwiseOperator<float> =>
            Map<float, TOperator>(x, destination, op, destinationName);

        /// <inheritdoc cref="Map{TOperator}(ReadOnlySpan{float}, Span{float}, TOperator, string)"/>
        public static void Map<TOperator>(ReadOnlySpan<double> x, Span<double> destination, TOperator op, [CallerArgumentExpression(nameof(destination))] string destinationName = "destination")
            where TOperator : struct, IElementwiseOperator<double> =>
            Map<double, TOperator>(x, destination, op, destinationName);

        /// <summary>
        /// Applies <paramref name="op"/> to each element and multiplies by a second input:
        /// <c>destination[i] = multiplier[i] · op(x[i])</c>, the backward pass of an activation in one pass.
        /// </summary>
        /// <typeparam name="TOperator">The operator; a struct, so that the loop is compiled for it.</typeparam>
        /// <param name="x">The inputs of <paramref name="op"/>.</param>
        /// <param name="multiplier">The factors (the output gradient), as long as <paramref name="x"/>.</param>
        /// <param name="destination">Where the results go: at least as long as <paramref name="x"/>, and either
        /// apart from each input or the very same memory.</param>
        /// <param name="op">The function (a derivative, for a backward pass).</param>
        /// <param name="multiplierName">The name reported when <paramref name="multiplier"/> has the wrong length.</param>
        /// <param name="destinationName">The name reported when <paramref name="destination"/> is wrong.</param>
        /// <exception cref="ArgumentException"><paramref name="multiplier"/> and <paramref name="x"/> differ in length,
        /// or <paramref name="destination"/> is shorter than <paramref name="x"/> or overlaps an input without being
        /// the very same memory.</exception>
        public static void MapTimes<TOperator>(ReadOnlySpan<float> x, ReadOnlySpan<float> multiplier, Span<float> destination, TOperator op, [CallerArgumentExpression(nameof(multiplier))] string multiplierName = "multiplier", [CallerArgumentExpression(nameof(destination))] string destinationName = "destination")
            where TOperator : struct, IElementwiseOperator<float> =>
            MapTimes<float, TOperator>(x, multiplier, destination, op, multiplierName, destinationName);

        /// <inheritdoc cref="MapTimes{TOperator}(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, TOperator, string, string)"/>
        public static void MapTimes<TOperator>(ReadOnlySpan<double> x, ReadOnlySpan<double> multiplier, Span<double> destination, TOperator op, [CallerArgumentExpression(nameof(multiplier))] string multiplierName = "multiplier", [CallerArgumentExpression(nameof(destination))] string destinationName = "destination")
            where TOperator : struct, IElementwiseOperator<double> =>
            MapTimes<double, TOperator>(x, multiplier, destination, op, multiplierName, destinationName);

        // One implementation for both element types: the public overloads exist so that arrays convert to
        // spans at the call (a generic T would have to be inferred from the spans, which arrays do not allow).
        internal static void Map<T, TOperator>(ReadOnlySpan<T> x, Span<T> destination, TOperator op, string destinationName)
            where T : unmanaged
            where TOperator : struct, IElementwiseOperator<T>
        {
            CheckDestination(x, destination, destinationName);
            Run<T, TOperator, NoMultiplier>(x, default, destination, op);
        }

        internal static void MapTimes<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> multiplier, Span<T> destination, TOperator op, string multiplierName, string destinationName)
            where T : unmanaged
            where TOperator : struct, IElementwiseOperator<T>
        {
            if (multiplier.Length != x.Length)
            {
                throw new ArgumentException($"'{multiplierName}' must have the length of the input.", multiplierName);
            }

            CheckDestination(x, destination, destinationName);
            CheckDestination(multiplier, destination, destinationName);
            Run<T, TOperator, WithMultiplier>(x, multiplier, destination, op);
        }

        /// <summary>The destination checks of every span member here and in <see cref="Softmax"/>: long enough, and apart from the input or the very same memory.</summary>
        internal static void CheckDestination<T>(ReadOnlySpan<T> input, Span<T> destination, string destinationName)
        {
            if (destination.Length < input.Length)
            {
                throw new ArgumentException("Destination is too short.", destinationName);
            }

            if (input.Overlaps(destination, out int offset) && offset != 0)
            {
                throw new ArgumentException("The destination overlaps an input without being the very same memory.", destinationName);
            }
        }

        /// <summary>Chooses at JIT time whether the result is multiplied by a second input.</summary>
        private interface IMultiplier
        {
        }

        private struct NoMultiplier : IMultiplier
        {
        }

        private struct WithMultiplier : IMultiplier
        {
        }

        private static void Run<T, TOp, TMultiplier>(ReadOnlySpan<T> x, ReadOnlySpan<T> multiplier, Span<T> destination, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
            where TMultiplier : struct, IMultiplier
        {
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T ms = ref MemoryMarshal.GetReference(multiplier);
            ref T ds = ref MemoryMarshal.GetReference(destination);
            nuint length = (nuint)x.Length;
            if (length * (nuint)Unsafe.SizeOf<T>() >= NonTemporalThresholdBytes)
            {
                fixed (T* pinned = &ds)
                {
                    // Pinned, the address cannot change; element-aligned, some element is vector-aligned.
                    if ((nuint)pinned % (nuint)Unsafe.SizeOf<T>() == 0)
                    {
                        RunAtWidestWidth<T, TOp, TMultiplier, NonTemporalStore<T>>(ref xs, ref ms, ref ds, length, op);
                        return;
                    }
                }
            }

            RunAtWidestWidth<T, TOp, TMultiplier, OrdinaryStore<T>>(ref xs, ref ms, ref ds, length, op);
        }

        private static void RunAtWidestWidth<T, TOp, TMultiplier, TStore>(ref T xs, ref T ms, ref T ds, nuint length, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
            where TMultiplier : struct, IMultiplier
            where TStore : struct, IStore<T>
        {
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= (nuint)Vector512<T>.Count)
            {
                Loop512<T, TOp, TMultiplier, TStore>(ref xs, ref ms, ref ds, length, op);
            }
            else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= (nuint)Vector256<T>.Count)
            {
                Loop256<T, TOp, TMultiplier, TStore>(ref xs, ref ms, ref ds, length, op);
            }
            else if (length >= (nuint)Vector128<T>.Count)
            {
                // Vector128 also where it is not accelerated (then in software, slowly): every element that is
                // not NaN goes through the vector form, which may be more stable than the scalar one.
                Loop128<T, TOp, TMultiplier, TStore>(ref xs, ref ms, ref ds, length, op);
            }
            else if (length != 0)
            {
                Short<T, TOp>(ref xs, ref ms, typeof(TMultiplier) == typeof(WithMultiplier), ref ds, length, op);
            }
        }

        /// <summary>Fewer elements than one Vector128: padded with zeros into one vector, computed, and the used part copied out.</summary>
        private static void Short<T, TOp>(ref T xs, ref T ms, bool multiplies, ref T ds, nuint length, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
        {
            Span<T> buffer = stackalloc T[3 * Vector128<T>.Count];
            int count = Vector128<T>.Count;
            for (int i = 0; i < (int)length; i++)
            {
                buffer[i] = Unsafe.Add(ref xs, i);
                buffer[count + i] = multiplies ? Unsafe.Add(ref ms, i) : default;
            }

            ref T results = ref buffer[2 * count];
            Store128(Vector128.Create((ReadOnlySpan<T>)buffer.Slice(0, count)), Vector128.Create((ReadOnlySpan<T>)buffer.Slice(count, count)), multiplies, ref results, 0, op);
            for (int i = 0; i < (int)length; i++)
            {
                Unsafe.Add(ref ds, i) = Unsafe.Add(ref results, i);
            }
        }

        /// <summary>
        /// The scalar form at a NaN input, false where it throws instead (<c>MathF.Sign(float.NaN)</c> throws
        /// ArithmeticException): a kernel must answer every input, and the vector form's value stands in.
        /// Out of line, so that the loops that call it on their rare NaN path keep no exception handling.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool ScalarAtNaN<T, TOp>(TOp op, T input, out T result)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
        {
            try
            {
                result = op.Apply(input);
                return true;
            }
            catch (ArithmeticException)
            {
            }
            catch (ArgumentException)
            {
            }

            result = input;
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsNaN<T>(T value)
        {
            if (typeof(T) == typeof(float))
            {
                return float.IsNaN(Unsafe.As<T, float>(ref value));
            }

            return double.IsNaN(Unsafe.As<T, double>(ref value));
        }

        /// <summary>
        /// Returns how many elements lie before the first one whose address is a multiple of
        /// <paramref name="alignment"/> bytes (fewer than one vector). The address is read without pinning:
        /// should the GC move the memory later, the stores are merely unaligned.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static nuint ElementsBeforeAlignment<T>(ref T destination, nuint alignment)
        {
            nuint address = (nuint)Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref destination);
            nuint misalignment = address & (alignment - 1);
            return misalignment == 0 ? 0 : (alignment - misalignment) / (nuint)Unsafe.SizeOf<T>();
        }

        /// <summary>
        /// Whether to walk the blocks downwards. A load that follows a store is first matched against it by
        /// the low 12 bits of the address; when those agree the load waits for the store, though the memory
        /// differs ("4K aliasing"). Walking up, the stores just made lie below the next loads, and they
        /// collide when the destination lies 64 to 2,047 bytes past an input modulo 4 KiB: ReLU at 1,024
        /// floats then took 27-35 ns instead of 20-22 on this project's machine. Walking down, those stores
        /// lie above the loads and do not. Closer than 64 bytes (two arrays allocated one after the other),
        /// walking up measured faster. Only for spans that fit in L1 together (<see cref="WalkDownMaxBytes"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool WalksDown<T>(ref T xs, ref T ms, bool multiplies, ref T ds) =>
            CollidesWalkingUp(ref xs, ref ds) && (!multiplies || CollidesWalkingUp(ref ms, ref ds));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool CollidesWalkingUp<T>(ref T input, ref T destination)
        {
            nuint distance = (nuint)Unsafe.ByteOffset(ref input, ref destination) & 4095;
            return distance >= 64 && distance < 2048;
        }

        /// <summary>How the four-vector loop stores: ordinarily, or around the caches.</summary>
        private interface IStore<T>
            where T : unmanaged
        {
            void Store(Vector128<T> value, ref T destination, nuint at);

            void Store(Vector256<T> value, ref T destination, nuint at);

            void Store(Vector512<T> value, ref T destination, nuint at);
        }

        private struct OrdinaryStore<T> : IStore<T>
            where T : unmanaged
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector128<T> value, ref T destination, nuint at) => Vector128.StoreUnsafe(value, ref destination, at);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector256<T> value, ref T destination, nuint at) => Vector256.StoreUnsafe(value, ref destination, at);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector512<T> value, ref T destination, nuint at) => Vector512.StoreUnsafe(value, ref destination, at);
        }

        /// <summary>Stores around the caches: the destination must be pinned and each address vector-aligned.</summary>
        private struct NonTemporalStore<T> : IStore<T>
            where T : unmanaged
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector128<T> value, ref T destination, nuint at) =>
                Vector128.StoreAlignedNonTemporal(value, (T*)Unsafe.AsPointer(ref Unsafe.Add(ref destination, at)));

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector256<T> value, ref T destination, nuint at) =>
                Vector256.StoreAlignedNonTemporal(value, (T*)Unsafe.AsPointer(ref Unsafe.Add(ref destination, at)));

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Store(Vector512<T> value, ref T destination, nuint at) =>
                Vector512.StoreAlignedNonTemporal(value, (T*)Unsafe.AsPointer(ref Unsafe.Add(ref destination, at)));
        }

        /// <summary>
        /// Whether a vector holding a NaN input must be computed lane by lane. Not when the function has no
        /// parameters and its vector form already gives, for NaNs of several payloads at every width, what
        /// the scalar form gives (ReLU's compare and select, say). Decided once per operator type; the JIT
        /// then reads the answer as a constant and drops the test from the loops.
        /// </summary>
        private static class NaNLanes<T, TOp>
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
        {
            public static readonly bool NeedScalar = Decide();

            private static bool Decide()
            {
                TOp op = default;
                if (op.HasParameters)
                {
                    return true;
                }

                Span<T> nans = stackalloc T[Vector512<T>.Count];
                for (int i = 0; i < nans.Length; i++)
                {
                    nans[i] = NaNWithPayload(i);
                }

                Vector512<T> wide = op.Apply(Vector512.Create((ReadOnlySpan<T>)nans));
                Vector256<T> middle = op.Apply(Vector256.Create((ReadOnlySpan<T>)nans));
                Vector128<T> narrow = op.Apply(Vector128.Create((ReadOnlySpan<T>)nans));
                for (int i = 0; i < nans.Length; i++)
                {
                    if (!ScalarAtNaN(op, nans[i], out T expected))
                    {
                        return false; // a scalar form that throws for NaN is never called: the vector form answers
                    }

                    bool same = SameValue(expected, wide.GetElement(i))
                        && (i >= Vector256<T>.Count || SameValue(expected, middle.GetElement(i)))
                        && (i >= Vector128<T>.Count || SameValue(expected, narrow.GetElement(i)));
                    if (!same)
                    {
                        return true;
                    }
                }

                return false;
            }

            private static T NaNWithPayload(int index)
            {
                if (typeof(T) == typeof(float))
                {
                    uint[] payloads = { 0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFFFFFFFFu, 0x7FA5A5A5u, 0xFF812345u };
                    float value = BitConverter.Int32BitsToSingle(unchecked((int)payloads[index % payloads.Length]));
                    return Unsafe.As<float, T>(ref value);
                }

                ulong[] doublePayloads = { 0x7FF8000000000000ul, 0xFFF8000000000000ul, 0x7FF0000000000001ul, 0xFFFFFFFFFFFFFFFFul, 0x7FF5A5A5A5A5A5A5ul, 0xFFF0123456789ABCul };
                double wideValue = BitConverter.Int64BitsToDouble(unchecked((long)doublePayloads[index % doublePayloads.Length]));
                return Unsafe.As<double, T>(ref wideValue);
            }

            /// <summary>Both NaN, or the same bits (so +0 and −0 differ).</summary>
            private static bool SameValue(T left, T right)
            {
                if (typeof(T) == typeof(float))
                {
                    float l = Unsafe.As<T, float>(ref left);
                    float r = Unsafe.As<T, float>(ref right);
                    return (float.IsNaN(l) && float.IsNaN(r)) || BitConverter.SingleToInt32Bits(l) == BitConverter.SingleToInt32Bits(r);
                }

                double a = Unsafe.As<T, double>(ref left);
                double b = Unsafe.As<T, double>(ref right);
                return (double.IsNaN(a) && double.IsNaN(b)) || BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static T Multiply<T>(T left, T right)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                float product = Unsafe.As<T, float>(ref left) * Unsafe.As<T, float>(ref right);
                return Unsafe.As<float, T>(ref product);
            }

            double result = Unsafe.As<T, double>(ref left) * Unsafe.As<T, double>(ref right);
            return Unsafe.As<double, T>(ref result);
        }
    }
}
