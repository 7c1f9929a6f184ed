using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    /// <summary>
    /// A function of two inputs in scalar form and at every vector width: the gates of gated units, f(a, b)
    /// (SwiGLU's Swish(a)·b), and their partial derivatives. The generator writes one for each activation with an
    /// <c>[Input]</c> parameter; the vector forms must compute, lane by lane, what the scalar form computes.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public interface IBinaryElementwiseOperator<T>
        where T : unmanaged
    {
        /// <summary>The function at one pair of elements.</summary>
        T Apply(T a, T b);

        /// <summary>The function on 128-bit vectors.</summary>
        Vector128<T> Apply(Vector128<T> a, Vector128<T> b);

        /// <summary>The function on 256-bit vectors.</summary>
        Vector256<T> Apply(Vector256<T> a, Vector256<T> b);

        /// <summary>The function on 512-bit vectors.</summary>
        Vector512<T> Apply(Vector512<T> a, Vector512<T> b);
    }

    /// <summary>
    /// Both partial derivatives of a function of two inputs from one call, in scalar form and at every vector width:
    /// the operator of a fused two-input backward pass, which computes what the partials share once. The generator
    /// writes one for each activation with an <c>[Input]</c> parameter; the vector forms must compute, lane by lane,
    /// what the scalar form computes.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public interface IBinaryGradientOperator<T>
        where T : unmanaged
    {
        /// <summary>∂f/∂a and ∂f/∂b at one pair of elements.</summary>
        void Apply(T a, T b, out T byA, out T byB);

        /// <summary>∂f/∂a and ∂f/∂b on 128-bit vectors.</summary>
        void Apply(Vector128<T> a, Vector128<T> b, out Vector128<T> byA, out Vector128<T> byB);

        /// <summary>∂f/∂a and ∂f/∂b on 256-bit vectors.</summary>
        void Apply(Vector256<T> a, Vector256<T> b, out Vector256<T> byA, out Vector256<T> byB);

        /// <summary>∂f/∂a and ∂f/∂b on 512-bit vectors.</summary>
        void Apply(Vector512<T> a, Vector512<T> b, out Vector512<T> byA, out Vector512<T> byB);
    }

    /// <summary>The loops of activations that train: two inputs, and learnable parameters with their gradient reduced in the same pass.</summary>
    public static partial class Elementwise
    {
        /// <summary><c>destination[i] = op(a[i], b[i])</c>, in one pass; the destination may be the very same memory as an input.</summary>
        /// <exception cref="ArgumentException">The inputs differ in length, or <paramref name="destination"/> is shorter or overlaps an input without being the very same memory.</exception>
        public static void Map2<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, TOperator op)
            where TOperator : struct, IBinaryElementwiseOperator<float> => Map2<float, TOperator>(a, b, destination, op);

        /// <inheritdoc cref="Map2{TOperator}(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, TOperator)"/>
        public static void Map2<TOperator>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> destination, TOperator op)
            where TOperator : struct, IBinaryElementwiseOperator<double> => Map2<double, TOperator>(a, b, destination, op);

        /// <summary>
        /// The backward pass of f(a, b) in one pass: <c>gradA[i] = gradOutput[i] · ∂f/∂a</c> and
        /// <c>gradB[i] = gradOutput[i] · ∂f/∂b</c>, both partials from one <paramref name="op"/> call (so that what they
        /// share, SwiGLU's σ(a), is computed once), each input read once and each gradient written once, no buffers.
        /// A gradient may be the very same memory as an input (in place); the two gradients may not overlap.
        /// </summary>
        /// <exception cref="ArgumentException">The inputs differ in length, or a gradient is shorter than them, overlaps an input without being the very same memory, or overlaps the other gradient.</exception>
        public static void Backward2<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> gradOutput, Span<float> gradA, Span<float> gradB, TOperator op)
            where TOperator : struct, IBinaryGradientOperator<float> =>
            Backward2<float, TOperator>(a, b, gradOutput, gradA, gradB, op);

        /// <inheritdoc cref="Backward2{TOperator}(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, TOperator)"/>
        public static void Backward2<TOperator>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> gradOutput, Span<double> gradA, Span<double> gradB, TOperator op)
            where TOperator : struct, IBinaryGradientOperator<double> =>
            Backward2<double, TOperator>(a, b, gradOutput, gradA, gradB, op);

        private static void Map2<T, TOperator>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryElementwiseOperator<T>
        {
            CheckTwoInputs(a, b, destination, nameof(b), nameof(destination));
            ref T xs = ref MemoryMarshal.GetReference(a), ys = ref MemoryMarshal.GetReference(b), ds = ref MemoryMarshal.GetReference(destination);
            nuint length = (nuint)a.Length;
            nuint i = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Map2Loop512(ref xs, ref ys, ref ds, length, op)
                : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Map2Loop256(ref xs, ref ys, ref ds, length, op)
                : Map2Loop128(ref xs, ref ys, ref ds, length, op);
            Map2Scalar(ref xs, ref ys, ref ds, op, i, length);
        }

        /// <summary><c>destination[j] = op(a[j], b[j])</c> from <paramref name="from"/> to <paramref name="to"/> (a tail, or a block with a NaN).</summary>
        private static void Map2Scalar<T, TOperator>(ref T a, ref T b, ref T destination, TOperator op, nuint from, nuint to)
            where T : unmanaged
            where TOperator : struct, IBinaryElementwiseOperator<T>
        {
            for (nuint j = from; j < to; j++)
            {
                Unsafe.Add(ref destination, j) = op.Apply(Unsafe.Add(ref a, j), Unsafe.Add(ref b, j));
            }
        }

        private static void Backward2<T, TOperator>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradA, Span<T> gradB, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryGradientOperator<T>
        {
            CheckInputs(a, b, nameof(b));
            CheckInputs(a, gradOutput, nameof(gradOutput));
            CheckGradient(a, b, gradOutput, gradA, nameof(gradA));
            CheckGradient(a, b, gradOutput, gradB, nameof(gradB));
            if (gradA.Slice(0, a.Length).Overlaps(gradB.Slice(0, a.Length)))
            {
                throw new ArgumentException("The two gradients must not overlap.", nameof(gradB));
            }

            ref T xs = ref MemoryMarshal.GetReference(a), ys = ref MemoryMarshal.GetReference(b), gs = ref MemoryMarshal.GetReference(gradOutput);
            ref T gradXs = ref MemoryMarshal.GetReference(gradA), gradYs = ref MemoryMarshal.GetReference(gradB);
            nuint length = (nuint)a.Length;
            nuint i = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Backward2Loop512(ref xs, ref ys, ref gs, ref gradXs, ref gradYs, length, op)
                : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Backward2Loop256(ref xs, ref ys, ref gs, ref gradXs, ref gradYs, length, op)
                : Backward2Loop128(ref xs, ref ys, ref gs, ref gradXs, ref gradYs, length, op);
            Backward2Scalar(ref xs, ref ys, ref gs, ref gradXs, ref gradYs, op, i, length);
        }

        /// <summary>The backward pass from <paramref name="from"/> to <paramref name="to"/> with the scalar forms (a tail, or a block with a NaN).</summary>
        private static void Backward2Scalar<T, TOperator>(ref T a, ref T b, ref T gradOutput, ref T gradA, ref T gradB, TOperator op, nuint from, nuint to)
            where T : unmanaged
            where TOperator : struct, IBinaryGradientOperator<T>
        {
            for (nuint j = from; j < to; j++)
            {
                op.Apply(Unsafe.Add(ref a, j), Unsafe.Add(ref b, j), out T byA, out T byB);
                var g = Vector128.CreateScalarUnsafe(Unsafe.Add(ref gradOutput, j)); // T has no operators; Vector128 multiplies it
                Unsafe.Add(ref gradA, j) = (g * Vector128.CreateScalarUnsafe(byA)).ToScalar();
                Unsafe.Add(ref gradB, j) = (g * Vector128.CreateScalarUnsafe(byB)).ToScalar();
            }
        }

        /// <summary>
        /// The backward pass of an activation with one learnable parameter, in one pass:
        /// <c>gradInput[i] = gradOutput[i] · opInput(x[i])</c>, and the parameter's gradient
        /// Σᵢ gradOutput[i] · opParameter(x[i]) returned. Each product is exact in double and the products are
        /// summed in double lanes, so the sum is within about n·2⁻⁵³·Σ|terms| (2e-9 relative at n = 16.7 M without
        /// cancellation) of the exact sum of the float terms, before its one rounding to float. <paramref name="gradInput"/> may be the very same memory as an input.
        /// </summary>
        /// <exception cref="ArgumentException">The inputs differ in length, or <paramref name="gradInput"/> is shorter or overlaps an input without being the very same memory.</exception>
        public static float MapTimesAndSum<TOperatorInput, TOperatorParameter>(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, Span<float> gradInput, TOperatorInput opInput, TOperatorParameter opParameter)
            where TOperatorInput : struct, IElementwiseOperator<float>
            where TOperatorParameter : struct, IElementwiseOperator<float>
        {
            CheckTwoInputs(x, gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
            ref float zs = ref MemoryMarshal.GetReference(x), gs = ref MemoryMarshal.GetReference(gradOutput), ds = ref MemoryMarshal.GetReference(gradInput);
            nuint length = (nuint)x.Length;
            nuint i = Vector512.IsHardwareAccelerated ? MapTimesAndSumLoop512(ref zs, ref gs, ref ds, length, opInput, opParameter, out double total)
                : Vector256.IsHardwareAccelerated ? MapTimesAndSumLoop256(ref zs, ref gs, ref ds, length, opInput, opParameter, out total)
                : MapTimesAndSumLoop128(ref zs, ref gs, ref ds, length, opInput, opParameter, out total);
            return (float)(total + MapTimesAndSumScalar(ref zs, ref gs, ref ds, opInput, opParameter, i, length));
        }

        /// <summary>The scalar forms from <paramref name="from"/> to <paramref name="to"/>; returns the part of the sum they add.</summary>
        private static double MapTimesAndSumScalar<TOperatorInput, TOperatorParameter>(ref float x, ref float gradOutput, ref float gradInput, TOperatorInput opInput, TOperatorParameter opParameter, nuint from, nuint to)
            where TOperatorInput : struct, IElementwiseOperator<float>
            where TOperatorParameter : struct, IElementwiseOperator<float>
        {
            double sum = 0;
            for (nuint j = from; j < to; j++)
            {
                float z = Unsafe.Add(ref x, j), g = Unsafe.Add(ref gradOutput, j);
                sum += (double)g * opParameter.Apply(z);
                Unsafe.Add(ref gradInput, j) = g * opInput.Apply(z);
            }

            return sum;
        }

        private static void CheckGradient<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradient, string name)
        {
            CheckDestination(a, gradient, name);
            CheckDestination(b, gradient, name);
            CheckDestination(gradOutput, gradient, name);
        }

        /// <summary>Two inputs of one length, and a destination that is long enough and apart from both or the very same memory as one.</summary>
        private static void CheckTwoInputs<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> destination, string secondName, string destinationName)
        {
            CheckInputs(first, second, secondName);
            CheckDestination(first, destination, destinationName);
            CheckDestination(second, destination, destinationName);
        }

        private static void CheckInputs<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> other, string otherName)
        {
            if (other.Length != first.Length)
            {
                throw new ArgumentException($"'{otherName}' must have the length of the first input.", otherName);
            }
        }
    }
}
