using System;
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
        /// The backward pass of f(a, b) in one pass: <c>gradA[i] = gradOutput[i] · opA(a[i], b[i])</c> and
        /// <c>gradB[i] = gradOutput[i] · opB(a[i], b[i])</c>, each input read once and each gradient written once,
        /// no buffers. A gradient may be the very same memory as an input (in place); the two gradients may not overlap.
        /// </summary>
        /// <exception cref="ArgumentException">The inputs differ in length, or a gradient is shorter than them, overlaps an input without being the very same memory, or overlaps the other gradient.</exception>
        public static void Backward2<TOperatorA, TOperatorB>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> gradOutput, Span<float> gradA, Span<float> gradB, TOperatorA opA, TOperatorB opB)
            where TOperatorA : struct, IBinaryElementwiseOperator<float>
            where TOperatorB : struct, IBinaryElementwiseOperator<float> =>
            Backward2<float, TOperatorA, TOperatorB>(a, b, gradOutput, gradA, gradB, opA, opB);

        /// <inheritdoc cref="Backward2{TOperatorA, TOperatorB}(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, TOperatorA, TOperatorB)"/>
        public static void Backward2<TOperatorA, TOperatorB>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> gradOutput, Span<double> gradA, Span<double> gradB, TOperatorA opA, TOperatorB opB)
            where TOperatorA : struct, IBinaryElementwiseOperator<double>
            where TOperatorB : struct, IBinaryElementwiseOperator<double> =>
            Backward2<double, TOperatorA, TOperatorB>(a, b, gradOutput, gradA, gradB, opA, opB);

        private static void Map2<T, TOperator>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryElementwiseOperator<T>
        {
            CheckInputs(a, b, nameof(b));
            CheckDestination(a, destination, nameof(destination));
            CheckDestination(b, destination, nameof(destination));
            int i = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Map2Loop512(a, b, destination, op)
                : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Map2Loop256(a, b, destination, op)
                : Map2Loop128(a, b, destination, op);
            for (; i < a.Length; i++)
            {
                destination[i] = op.Apply(a[i], b[i]);
            }
        }

        private static void Backward2<T, TOperatorA, TOperatorB>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradA, Span<T> gradB, TOperatorA opA, TOperatorB opB)
            where T : unmanaged
            where TOperatorA : struct, IBinaryElementwiseOperator<T>
            where TOperatorB : struct, IBinaryElementwiseOperator<T>
        {
            CheckInputs(a, b, nameof(b));
            CheckInputs(a, gradOutput, nameof(gradOutput));
            CheckGradient(a, b, gradOutput, gradA, nameof(gradA));
            CheckGradient(a, b, gradOutput, gradB, nameof(gradB));
            if (gradA.Slice(0, a.Length).Overlaps(gradB.Slice(0, a.Length)))
            {
                throw new ArgumentException("The two gradients must not overlap.", nameof(gradB));
            }

            int i = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Backward2Loop512(a, b, gradOutput, gradA, gradB, opA, opB)
                : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Backward2Loop256(a, b, gradOutput, gradA, gradB, opA, opB)
                : Backward2Loop128(a, b, gradOutput, gradA, gradB, opA, opB);
            BackwardScalar(a, b, gradOutput, gradA, gradB, opA, opB, i, a.Length);
        }

        /// <summary>The backward pass at <paramref name="from"/> to <paramref name="to"/> with the scalar forms (a vector's tail, or a vector with a NaN).</summary>
        private static void BackwardScalar<T, TOperatorA, TOperatorB>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradA, Span<T> gradB, TOperatorA opA, TOperatorB opB, int from, int to)
            where T : unmanaged
            where TOperatorA : struct, IBinaryElementwiseOperator<T>
            where TOperatorB : struct, IBinaryElementwiseOperator<T>
        {
            for (int j = from; j < to; j++)
            {
                T x = a[j], y = b[j];
                var g = Vector128.CreateScalarUnsafe(gradOutput[j]);
                gradA[j] = (g * Vector128.CreateScalarUnsafe(opA.Apply(x, y))).ToScalar();
                gradB[j] = (g * Vector128.CreateScalarUnsafe(opB.Apply(x, y))).ToScalar();
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
            CheckInputs(x, gradOutput, nameof(gradOutput));
            CheckDestination(x, gradInput, nameof(gradInput));
            CheckDestination(gradOutput, gradInput, nameof(gradInput));
            int i = Vector512.IsHardwareAccelerated ? MapTimesAndSumLoop512(x, gradOutput, gradInput, opInput, opParameter, out double total)
                : Vector256.IsHardwareAccelerated ? MapTimesAndSumLoop256(x, gradOutput, gradInput, opInput, opParameter, out total)
                : MapTimesAndSumLoop128(x, gradOutput, gradInput, opInput, opParameter, out total);
            for (; i < x.Length; i++)
            {
                float z = x[i], g = gradOutput[i];
                total += (double)g * opParameter.Apply(z);
                gradInput[i] = g * opInput.Apply(z);
            }

            return (float)total;
        }

        private static void CheckGradient<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradient, string name)
        {
            CheckDestination(a, gradient, name);
            CheckDestination(b, gradient, name);
            CheckDestination(gradOutput, gradient, name);
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
