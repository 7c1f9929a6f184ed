using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    // The training loops at one vector width, written at the widest: the build makes the Vector256 and Vector128
    // copies (the WriteNarrowerWidths target in Activations.csproj replaces "512"). Two vectors per iteration, so
    // that the two operator bodies overlap; each loop returns how many elements it did and the caller finishes the
    // tail with the scalar forms. A block holding a NaN input is redone with the scalar forms, so NaN comes out as
    // from scalar code. Every block is loaded whole before it is stored, so a gradient may be its input's memory.
    public static partial class Elementwise
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static nuint Map2Loop512<T, TOperator>(ref T a, ref T b, ref T destination, nuint length, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryElementwiseOperator<T>
        {
            nuint count = (nuint)Vector512<T>.Count, i = 0;
            for (; i + 2 * count <= length; i += 2 * count)
            {
                var a0 = Vector512.LoadUnsafe(ref a, i);
                var a1 = Vector512.LoadUnsafe(ref a, i + count);
                var b0 = Vector512.LoadUnsafe(ref b, i);
                var b1 = Vector512.LoadUnsafe(ref b, i + count);
                if (!AllLanesSet512(Vector512.Equals(a0, a0) & Vector512.Equals(a1, a1) & Vector512.Equals(b0, b0) & Vector512.Equals(b1, b1)))
                {
                    Map2Scalar(ref a, ref b, ref destination, op, i, i + 2 * count);
                    continue;
                }

                var y0 = op.Apply(a0, b0);
                var y1 = op.Apply(a1, b1);
                y0.StoreUnsafe(ref destination, i);
                y1.StoreUnsafe(ref destination, i + count);
            }

            if (i + count <= length)
            {
                var a0 = Vector512.LoadUnsafe(ref a, i);
                var b0 = Vector512.LoadUnsafe(ref b, i);
                if (AllLanesSet512(Vector512.Equals(a0, a0) & Vector512.Equals(b0, b0)))
                {
                    op.Apply(a0, b0).StoreUnsafe(ref destination, i);
                }
                else
                {
                    Map2Scalar(ref a, ref b, ref destination, op, i, i + count);
                }

                i += count;
            }

            return i;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static nuint Backward2Loop512<T, TOperator>(ref T a, ref T b, ref T gradOutput, ref T gradA, ref T gradB, nuint length, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryGradientOperator<T>
        {
            nuint count = (nuint)Vector512<T>.Count, i = 0;
            for (; i + 2 * count <= length; i += 2 * count)
            {
                var a0 = Vector512.LoadUnsafe(ref a, i);
                var a1 = Vector512.LoadUnsafe(ref a, i + count);
                var b0 = Vector512.LoadUnsafe(ref b, i);
                var b1 = Vector512.LoadUnsafe(ref b, i + count);
                var g0 = Vector512.LoadUnsafe(ref gradOutput, i);
                var g1 = Vector512.LoadUnsafe(ref gradOutput, i + count);
                if (!AllLanesSet512(Vector512.Equals(a0, a0) & Vector512.Equals(a1, a1) & Vector512.Equals(b0, b0) & Vector512.Equals(b1, b1)))
                {
                    Backward2Scalar(ref a, ref b, ref gradOutput, ref gradA, ref gradB, op, i, i + 2 * count);
                    continue;
                }

                op.Apply(a0, b0, out var byA0, out var byB0);
                op.Apply(a1, b1, out var byA1, out var byB1);
                (g0 * byA0).StoreUnsafe(ref gradA, i);
                (g1 * byA1).StoreUnsafe(ref gradA, i + count);
                (g0 * byB0).StoreUnsafe(ref gradB, i);
                (g1 * byB1).StoreUnsafe(ref gradB, i + count);
            }

            if (i + count <= length)
            {
                var a0 = Vector512.LoadUnsafe(ref a, i);
                var b0 = Vector512.LoadUnsafe(ref b, i);
                var g0 = Vector512.LoadUnsafe(ref gradOutput, i);
                if (AllLanesSet512(Vector512.Equals(a0, a0) & Vector512.Equals(b0, b0)))
                {
                    op.Apply(a0, b0, out var byA0, out var byB0);
                    (g0 * byA0).StoreUnsafe(ref gradA, i);
                    (g0 * byB0).StoreUnsafe(ref gradB, i);
                }
                else
                {
                    Backward2Scalar(ref a, ref b, ref gradOutput, ref gradA, ref gradB, op, i, i + count);
                }

                i += count;
            }

            return i;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static nuint MapTimesAndSumLoop512<TOperatorInput, TOperatorParameter>(ref float x, ref float gradOutput, ref float gradInput, nuint length, TOperatorInput opInput, TOperatorParameter opParameter, out double total)
            where TOperatorInput : struct, IElementwiseOperator<float>
            where TOperatorParameter : struct, IElementwiseOperator<float>
        {
            nuint count = (nuint)Vector512<float>.Count, i = 0;

            // Two accumulators, so that consecutive blocks do not wait on one addition chain.
            var sum0 = Vector512<double>.Zero;
            var sum1 = Vector512<double>.Zero;
            double scalarSum = 0;
            for (; i + 2 * count <= length; i += 2 * count)
            {
                var z0 = Vector512.LoadUnsafe(ref x, i);
                var z1 = Vector512.LoadUnsafe(ref x, i + count);
                var g0 = Vector512.LoadUnsafe(ref gradOutput, i);
                var g1 = Vector512.LoadUnsafe(ref gradOutput, i + count);
                if (!AllLanesSet512(Vector512.Equals(z0, z0) & Vector512.Equals(z1, z1)))
                {
                    scalarSum += MapTimesAndSumScalar(ref x, ref gradOutput, ref gradInput, opInput, opParameter, i, i + 2 * count);
                    continue;
                }

                // float × float is exact in double: only the additions round.
                var (slopeLower0, slopeUpper0) = Vector512.Widen(opParameter.Apply(z0));
                var (slopeLower1, slopeUpper1) = Vector512.Widen(opParameter.Apply(z1));
                var (gradLower0, gradUpper0) = Vector512.Widen(g0);
                var (gradLower1, gradUpper1) = Vector512.Widen(g1);
                sum0 += gradLower0 * slopeLower0 + gradUpper0 * slopeUpper0;
                sum1 += gradLower1 * slopeLower1 + gradUpper1 * slopeUpper1;
                (g0 * opInput.Apply(z0)).StoreUnsafe(ref gradInput, i);
                (g1 * opInput.Apply(z1)).StoreUnsafe(ref gradInput, i + count);
            }

            if (i + count <= length)
            {
                var z0 = Vector512.LoadUnsafe(ref x, i);
                var g0 = Vector512.LoadUnsafe(ref gradOutput, i);
                if (AllLanesSet512(Vector512.Equals(z0, z0)))
                {
                    var (slopeLower0, slopeUpper0) = Vector512.Widen(opParameter.Apply(z0));
                    var (gradLower0, gradUpper0) = Vector512.Widen(g0);
                    sum0 += gradLower0 * slopeLower0 + gradUpper0 * slopeUpper0;
                    (g0 * opInput.Apply(z0)).StoreUnsafe(ref gradInput, i);
                }
                else
                {
                    scalarSum += MapTimesAndSumScalar(ref x, ref gradOutput, ref gradInput, opInput, opParameter, i, i + count);
                }

                i += count;
            }

            total = Vector512.Sum(sum0 + sum1) + scalarSum;
            return i;
        }
    }
}
