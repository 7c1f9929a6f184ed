using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    // The training loops at one vector width, written at the widest: the build makes the Vector256 and Vector128
    // copies (the WriteNarrowerWidths target in Activations.csproj replaces "512"). Each returns how many elements
    // it did; the caller finishes the tail with the scalar forms. A vector holding a NaN input is redone with the
    // scalar forms, so NaN comes out as from scalar code.
    public static partial class Elementwise
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Map2Loop512<T, TOperator>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination, TOperator op)
            where T : unmanaged
            where TOperator : struct, IBinaryElementwiseOperator<T>
        {
            int count = Vector512<T>.Count, i = 0;
            for (; i <= a.Length - count; i += count)
            {
                var x = Vector512.Create(a.Slice(i, count));
                var y = Vector512.Create(b.Slice(i, count));
                var result = op.Apply(x, y);
                if (Vector512.EqualsAll(x, x) && Vector512.EqualsAll(y, y))
                {
                    result.CopyTo(destination.Slice(i, count));
                    continue;
                }

                for (int j = i; j < i + count; j++)
                {
                    destination[j] = op.Apply(a[j], b[j]);
                }
            }

            return i;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Backward2Loop512<T, TOperatorA, TOperatorB>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gradOutput, Span<T> gradA, Span<T> gradB, TOperatorA opA, TOperatorB opB)
            where T : unmanaged
            where TOperatorA : struct, IBinaryElementwiseOperator<T>
            where TOperatorB : struct, IBinaryElementwiseOperator<T>
        {
            int count = Vector512<T>.Count, i = 0;
            for (; i <= a.Length - count; i += count)
            {
                var x = Vector512.Create(a.Slice(i, count));
                var y = Vector512.Create(b.Slice(i, count));
                var g = Vector512.Create(gradOutput.Slice(i, count));
                if (Vector512.EqualsAll(x, x) && Vector512.EqualsAll(y, y))
                {
                    (g * opA.Apply(x, y)).CopyTo(gradA.Slice(i, count));
                    (g * opB.Apply(x, y)).CopyTo(gradB.Slice(i, count));
                    continue;
                }

                BackwardScalar(a, b, gradOutput, gradA, gradB, opA, opB, i, i + count);
            }

            return i;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int MapTimesAndSumLoop512<TOperatorInput, TOperatorParameter>(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, Span<float> gradInput, TOperatorInput opInput, TOperatorParameter opParameter, out double total)
            where TOperatorInput : struct, IElementwiseOperator<float>
            where TOperatorParameter : struct, IElementwiseOperator<float>
        {
            int count = Vector512<float>.Count, i = 0;
            var sum = Vector512<double>.Zero;
            double scalarSum = 0;
            for (; i <= x.Length - count; i += count)
            {
                var z = Vector512.Create(x.Slice(i, count));
                var g = Vector512.Create(gradOutput.Slice(i, count));
                if (Vector512.EqualsAll(z, z))
                {
                    // float × float is exact in double: only the additions round.
                    var (slopeLower, slopeUpper) = Vector512.Widen(opParameter.Apply(z));
                    var (gradLower, gradUpper) = Vector512.Widen(g);
                    sum += gradLower * slopeLower + gradUpper * slopeUpper;
                    (g * opInput.Apply(z)).CopyTo(gradInput.Slice(i, count));
                    continue;
                }

                for (int j = i; j < i + count; j++)
                {
                    float u = x[j], w = gradOutput[j];
                    scalarSum += (double)w * opParameter.Apply(u);
                    gradInput[j] = w * opInput.Apply(u);
                }
            }

            total = Vector512.Sum(sum) + scalarSum;
            return i;
        }
    }
}
