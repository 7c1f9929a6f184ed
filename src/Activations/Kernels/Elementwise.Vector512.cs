using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    // The loop at one vector width, written at the widest: the build makes the Vector256 and Vector128
    // copies from this file (the WriteNarrowerWidths target in Activations.csproj replaces "512").
    public static partial class Elementwise
    {
        /// <summary>
        /// Four vectors per iteration from the first vector-aligned destination element, so that no store
        /// splits a cache line; the blocks are walked upwards or downwards as <see cref="WalksDown"/>
        /// decides. The first and the last vector are loaded before any store and stored after the loop:
        /// they cover the elements before that one and the tail, and keep in-place calls right (each block
        /// is loaded whole before it is stored, so either direction is safe in place).
        /// Never inlined: the JIT budgets inlining per method it compiles, and a caller that took this loop
        /// in would run out before the vector exp, leaving it an out-of-line call per vector (2.5× slower).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Loop512<T, TOp, TMultiplier, TStore>(ref T xs, ref T ms, ref T ds, nuint length, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
            where TMultiplier : struct, IMultiplier
            where TStore : struct, IStore<T>
        {
            bool multiplies = typeof(TMultiplier) == typeof(WithMultiplier);
            nuint count = (nuint)Vector512<T>.Count;
            nuint last = length - count;
            Vector512<T> xFirst = Vector512.LoadUnsafe(ref xs);
            Vector512<T> mFirst = multiplies ? Vector512.LoadUnsafe(ref ms) : default;
            Vector512<T> xLast = Vector512.LoadUnsafe(ref xs, last);
            Vector512<T> mLast = multiplies ? Vector512.LoadUnsafe(ref ms, last) : default;

            nuint start = ElementsBeforeAlignment(ref ds, count * (nuint)Unsafe.SizeOf<T>());
            nuint block = 4 * count;
            nuint blocks = (length - start) / block;
            nuint end = start + blocks * block;
            nuint i = start;
            nuint step = block;
            if (length <= (nuint)(WalkDownMaxBytes / Unsafe.SizeOf<T>() / (multiplies ? 3 : 2)) && WalksDown(ref xs, ref ms, multiplies, ref ds))
            {
                i = end - block;
                step = 0 - block; // adding it wraps round: one step down
            }

            if (op.IsCheap && blocks != 0)
            {
                // The next block is loaded before this one is stored, so no load comes after a store it
                // could be taken for: the collision that neither direction avoids when the destination
                // lies less than 64 bytes past an input modulo 4 KiB (see WalksDown).
                LoadBlock512(ref xs, ref ms, multiplies, i, out Vector512<T> x0, out Vector512<T> x1, out Vector512<T> x2, out Vector512<T> x3, out Vector512<T> m0, out Vector512<T> m1, out Vector512<T> m2, out Vector512<T> m3);
                for (; blocks > 1; blocks--, i += step)
                {
                    LoadBlock512(ref xs, ref ms, multiplies, i + step, out Vector512<T> nextX0, out Vector512<T> nextX1, out Vector512<T> nextX2, out Vector512<T> nextX3, out Vector512<T> nextM0, out Vector512<T> nextM1, out Vector512<T> nextM2, out Vector512<T> nextM3);
                    StoreBlock512<T, TOp, TStore>(x0, x1, x2, x3, m0, m1, m2, m3, multiplies, ref ds, i, op);
                    (x0, x1, x2, x3, m0, m1, m2, m3) = (nextX0, nextX1, nextX2, nextX3, nextM0, nextM1, nextM2, nextM3);
                }

                StoreBlock512<T, TOp, TStore>(x0, x1, x2, x3, m0, m1, m2, m3, multiplies, ref ds, i, op);
            }
            else
            {
                for (; blocks != 0; blocks--, i += step)
                {
                    LoadBlock512(ref xs, ref ms, multiplies, i, out Vector512<T> x0, out Vector512<T> x1, out Vector512<T> x2, out Vector512<T> x3, out Vector512<T> m0, out Vector512<T> m1, out Vector512<T> m2, out Vector512<T> m3);
                    StoreBlock512<T, TOp, TStore>(x0, x1, x2, x3, m0, m1, m2, m3, multiplies, ref ds, i, op);
                }
            }

            for (i = end; i + count <= length; i += count)
            {
                Store512<T, TOp>(Vector512.LoadUnsafe(ref xs, i), multiplies ? Vector512.LoadUnsafe(ref ms, i) : default, multiplies, ref ds, i, op);
            }

            if (start != 0)
            {
                Store512<T, TOp>(xFirst, mFirst, multiplies, ref ds, 0, op);
            }

            if (i < length)
            {
                Store512<T, TOp>(xLast, mLast, multiplies, ref ds, last, op);
            }
        }

        /// <summary>
        /// True when every lane of a comparison mask is set. The mask is compared as integers: as floats its set lanes
        /// are NaN, and NaN is equal to nothing, itself included.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool AllLanesSet512<T>(Vector512<T> mask)
            where T : unmanaged =>
            Vector512.EqualsAll(mask.AsUInt32(), Vector512<uint>.AllBitsSet);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LoadBlock512<T>(ref T xs, ref T ms, bool multiplies, nuint i, out Vector512<T> x0, out Vector512<T> x1, out Vector512<T> x2, out Vector512<T> x3, out Vector512<T> m0, out Vector512<T> m1, out Vector512<T> m2, out Vector512<T> m3)
            where T : unmanaged
        {
            nuint count = (nuint)Vector512<T>.Count;
            x0 = Vector512.LoadUnsafe(ref xs, i);
            x1 = Vector512.LoadUnsafe(ref xs, i + count);
            x2 = Vector512.LoadUnsafe(ref xs, i + 2 * count);
            x3 = Vector512.LoadUnsafe(ref xs, i + 3 * count);
            m0 = multiplies ? Vector512.LoadUnsafe(ref ms, i) : default;
            m1 = multiplies ? Vector512.LoadUnsafe(ref ms, i + count) : default;
            m2 = multiplies ? Vector512.LoadUnsafe(ref ms, i + 2 * count) : default;
            m3 = multiplies ? Vector512.LoadUnsafe(ref ms, i + 3 * count) : default;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreBlock512<T, TOp, TStore>(Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3, Vector512<T> m0, Vector512<T> m1, Vector512<T> m2, Vector512<T> m3, bool multiplies, ref T ds, nuint i, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
            where TStore : struct, IStore<T>
        {
            TStore store = default;
            nuint count = (nuint)Vector512<T>.Count;

            // One test for four vectors: NaN inputs are rare, and then each vector is handled on its own.
            if (!NaNLanes<T, TOp>.NeedScalar
                || AllLanesSet512(Vector512.Equals(x0, x0) & Vector512.Equals(x1, x1) & Vector512.Equals(x2, x2) & Vector512.Equals(x3, x3)))
            {
                Vector512<T> y0 = op.Apply(x0);
                Vector512<T> y1 = op.Apply(x1);
                Vector512<T> y2 = op.Apply(x2);
                Vector512<T> y3 = op.Apply(x3);
                store.Store(multiplies ? m0 * y0 : y0, ref ds, i);
                store.Store(multiplies ? m1 * y1 : y1, ref ds, i + count);
                store.Store(multiplies ? m2 * y2 : y2, ref ds, i + 2 * count);
                store.Store(multiplies ? m3 * y3 : y3, ref ds, i + 3 * count);
            }
            else
            {
                Store512<T, TOp>(x0, m0, multiplies, ref ds, i, op);
                Store512<T, TOp>(x1, m1, multiplies, ref ds, i + count, op);
                Store512<T, TOp>(x2, m2, multiplies, ref ds, i + 2 * count, op);
                Store512<T, TOp>(x3, m3, multiplies, ref ds, i + 3 * count, op);
            }
        }

        /// <summary>
        /// Stores op(x) (times m). Where x holds NaN lanes, those lanes are then overwritten with the scalar
        /// form's result, so NaN comes out as from the scalar form (unless the scalar form throws for NaN, as
        /// MathF.Sign does: then the vector form's value stays), and every other lane keeps the vector form's
        /// value (which the kernels may compute more stably than the scalar form).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store512<T, TOp>(Vector512<T> x, Vector512<T> m, bool multiplies, ref T destination, nuint at, TOp op)
            where T : unmanaged
            where TOp : struct, IElementwiseOperator<T>
        {
            Vector512<T> value = op.Apply(x);
            Vector512.StoreUnsafe(multiplies ? m * value : value, ref destination, at);
            if (!NaNLanes<T, TOp>.NeedScalar || Vector512.EqualsAll(x, x))
            {
                return;
            }

            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T input = Vector512.GetElement(x, lane);
                if (!IsNaN(input))
                {
                    continue;
                }

                if (ScalarAtNaN(op, input, out T scalar))
                {
                    Unsafe.Add(ref destination, at + (nuint)lane) = multiplies ? Multiply(Vector512.GetElement(m, lane), scalar) : scalar;
                }
            }
        }
    }
}
