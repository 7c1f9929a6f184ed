using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Activations.Kernels
{
    /// <summary>
    /// Inlined vector Exp, ExpM1, Log, Log1P, LogOnePlusExp (softplus) and Tanh for float and double at every width, what the generated
    /// kernels call for e^x, ln x and tanh x. <c>Vector512.Exp</c> is an out-of-line call per vector (and
    /// absent before .NET 9); these are inlined polynomials with range reduction.
    /// </summary>
    /// <remarks>
    /// Range reduction x = n·ln 2 + r with a two-part ln 2, a polynomial for e^r − 1, and 2^n applied in one
    /// rounding (AVX-512's VSCALEF where the processor has it, two halves otherwise), so subnormal results
    /// round once instead of flushing to zero: e^x for x ∈ (−103.97, −87.34) (float) lands in the subnormals.
    /// Log scales subnormal inputs into the normal range first; ±∞ give the IEEE limits. NaN inputs are not
    /// handled: <see cref="Elementwise"/> recomputes NaN lanes with the scalar form, so these spend nothing
    /// on it.
    /// </remarks>
    public static partial class VectorMath
    {
        // What differs by width: which instructions each has. The JIT folds every IsSupported below.

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
            Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> MulAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
            Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        {
            if (Fma.IsSupported)
            {
                return Fma.MultiplyAdd(a, b, c);
            }

            return AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<double> MulAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c)
        {
            if (Fma.IsSupported)
            {
                return Fma.MultiplyAdd(a, b, c);
            }

            return AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.FusedMultiplyAdd(c, a, b) : a * b + c;
        }

        private static bool ScalesVector512 => Avx512F.IsSupported;

        private static bool ScalesVector256 => Avx512F.VL.IsSupported;

        private static bool ScalesVector128 => Avx512F.VL.IsSupported;

        /// <summary>m·2^n in one rounding (VSCALEF); only where <c>ScalesVector512</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Scale(Vector512<float> m, Vector512<float> n) => Avx512F.Scale(m, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Scale(Vector512<double> m, Vector512<double> n) => Avx512F.Scale(m, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Scale(Vector256<float> m, Vector256<float> n) => Avx512F.VL.Scale(m, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Scale(Vector256<double> m, Vector256<double> n) => Avx512F.VL.Scale(m, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> Scale(Vector128<float> m, Vector128<float> n) => Avx512F.VL.Scale(m, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<double> Scale(Vector128<double> m, Vector128<double> n) => Avx512F.VL.Scale(m, n);

        // The larger or smaller of two values of one sign (or both NaN): there the processor's max/min and
        // IEEE's maximum/minimum agree, so the one instruction serves instead of a compare and a select.

        /// <summary>The larger of <paramref name="a"/> and <paramref name="b"/>, which have the same sign or are both NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MaxSameSign<T>(Vector512<T> a, Vector512<T> b)
        {
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                return Avx512F.Max(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Avx512F.IsSupported && typeof(T) == typeof(double))
            {
                return Avx512F.Max(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), a, b);
        }

        /// <summary>The smaller of <paramref name="a"/> and <paramref name="b"/>, which have the same sign or are both NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MinSameSign<T>(Vector512<T> a, Vector512<T> b)
        {
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                return Avx512F.Min(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Avx512F.IsSupported && typeof(T) == typeof(double))
            {
                return Avx512F.Min(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector512.ConditionalSelect(Vector512.LessThan(a, b), a, b);
        }

        /// <inheritdoc cref="MaxSameSign{T}(Vector512{T}, Vector512{T})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> MaxSameSign<T>(Vector256<T> a, Vector256<T> b)
        {
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                return Avx.Max(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Avx.IsSupported && typeof(T) == typeof(double))
            {
                return Avx.Max(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), a, b);
        }

        /// <inheritdoc cref="MinSameSign{T}(Vector512{T}, Vector512{T})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> MinSameSign<T>(Vector256<T> a, Vector256<T> b)
        {
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                return Avx.Min(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Avx.IsSupported && typeof(T) == typeof(double))
            {
                return Avx.Min(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector256.ConditionalSelect(Vector256.LessThan(a, b), a, b);
        }

        /// <inheritdoc cref="MaxSameSign{T}(Vector512{T}, Vector512{T})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> MaxSameSign<T>(Vector128<T> a, Vector128<T> b)
        {
            if (Sse.IsSupported && typeof(T) == typeof(float))
            {
                return Sse.Max(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Sse2.IsSupported && typeof(T) == typeof(double))
            {
                return Sse2.Max(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), a, b);
        }

        /// <inheritdoc cref="MinSameSign{T}(Vector512{T}, Vector512{T})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> MinSameSign<T>(Vector128<T> a, Vector128<T> b)
        {
            if (Sse.IsSupported && typeof(T) == typeof(float))
            {
                return Sse.Min(a.AsSingle(), b.AsSingle()).As<float, T>();
            }

            if (Sse2.IsSupported && typeof(T) == typeof(double))
            {
                return Sse2.Min(a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            return Vector128.ConditionalSelect(Vector128.LessThan(a, b), a, b);
        }
    }
}
