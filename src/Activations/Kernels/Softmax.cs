using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Activations.Kernels
{
    /// <summary>
    /// Softmax and log-softmax, the output activation of a classifier, with their fused backward passes:
    /// over one span, or row by row over a row-major matrix (<c>rowLength</c> elements per row).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Stable for every finite input: the row's maximum m is subtracted first, so e^(x − m) ≤ 1 never
    /// overflows and the largest term is exactly 1 (<c>TensorPrimitives.SoftMax([100, 0])</c> is [NaN, 0]; here
    /// it is [1, 3.7e-44]). The exponentials are computed once, with the runtime's vector exp, and stored;
    /// the sum is accumulated in double. A row that holds NaN or +∞ gives NaN throughout that row.
    /// </para>
    /// <para>
    /// The backward passes take the saved forward output: for softmax y,
    /// <c>gradInput = y ⊙ (gradOutput − Σ gradOutput·y)</c>; for log-softmax ℓ,
    /// <c>gradInput = gradOutput − e^ℓ · Σ gradOutput</c>. Destinations may be the very same memory as an input.
    /// </para>
    /// </remarks>
    public static class Softmax
    {
        /// <summary>Softmax of each row: <c>destination[i] = e^(x[i] − m) / Σⱼ e^(x[j] − m)</c>, m the row's maximum.</summary>
        /// <param name="x">The inputs (logits), row after row.</param>
        /// <param name="destination">The probabilities; at least as long as <paramref name="x"/>, apart from it or the very same memory.</param>
        /// <param name="rowLength">Elements per row; <paramref name="x"/>'s length by default (one row). Must divide it.</param>
        /// <exception cref="ArgumentException">The destination is too short or partly overlaps, or <paramref name="rowLength"/> does not divide the length.</exception>
        public static void Forward(ReadOnlySpan<float> x, Span<float> destination, int rowLength = 0) => Rows(x, destination, rowLength, Operation.Softmax);

        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/>
        public static void Forward(ReadOnlySpan<double> x, Span<double> destination, int rowLength = 0) => Rows(x, destination, rowLength, Operation.Softmax);

        /// <summary>Log-softmax of each row: <c>destination[i] = x[i] − m − ln Σⱼ e^(x[j] − m)</c>.</summary>
        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/>
        public static void LogForward(ReadOnlySpan<float> x, Span<float> destination, int rowLength = 0) => Rows(x, destination, rowLength, Operation.LogSoftmax);

        /// <inheritdoc cref="LogForward(ReadOnlySpan{float}, Span{float}, int)"/>
        public static void LogForward(ReadOnlySpan<double> x, Span<double> destination, int rowLength = 0) => Rows(x, destination, rowLength, Operation.LogSoftmax);

        /// <summary>The backward pass of softmax from its output: <c>gradInput = y ⊙ (gradOutput − Σ gradOutput·y)</c> per row.</summary>
        /// <param name="y">The saved softmax output.</param>
        /// <param name="gradOutput">The gradient of the loss with respect to <paramref name="y"/>, as long as it.</param>
        /// <param name="gradInput">The gradient with respect to the logits.</param>
        /// <param name="rowLength">Elements per row; the whole span by default.</param>
        /// <exception cref="ArgumentException">The lengths differ, the destination partly overlaps an input, or <paramref name="rowLength"/> does not divide the length.</exception>
        public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> gradOutput, Span<float> gradInput, int rowLength = 0) => BackwardRows(y, gradOutput, gradInput, rowLength, Operation.Softmax);

        /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
        public static void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> gradOutput, Span<double> gradInput, int rowLength = 0) => BackwardRows(y, gradOutput, gradInput, rowLength, Operation.Softmax);

        /// <summary>The backward pass of log-softmax from its output ℓ: <c>gradInput = gradOutput − e^ℓ · Σ gradOutput</c> per row.</summary>
        /// <param name="logY">The saved log-softmax output.</param>
        /// <param name="gradOutput">The gradient of the loss with respect to <paramref name="logY"/>, as long as it.</param>
        /// <param name="gradInput">The gradient with respect to the logits.</param>
        /// <param name="rowLength">Elements per row; the whole span by default.</param>
        /// <exception cref="ArgumentException">The lengths differ, the destination partly overlaps an input, or <paramref name="rowLength"/> does not divide the length.</exception>
        public static void LogBackward(ReadOnlySpan<float> logY, ReadOnlySpan<float> gradOutput, Span<float> gradInput, int rowLength = 0) => BackwardRows(logY, gradOutput, gradInput, rowLength, Operation.LogSoftmax);

        /// <inheritdoc cref="LogBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
        public static void LogBackward(ReadOnlySpan<double> logY, ReadOnlySpan<double> gradOutput, Span<double> gradInput, int rowLength = 0) => BackwardRows(logY, gradOutput, gradInput, rowLength, Operation.LogSoftmax);

        private enum Operation
        {
            Softmax,
            LogSoftmax,
        }

        private static int CheckRows<T>(ReadOnlySpan<T> x, Span<T> destination, int rowLength, string destinationName)
        {
            Elementwise.CheckDestination(x, destination, destinationName);
            int row = rowLength == 0 ? x.Length : rowLength;
            if (row < 0 || (x.Length != 0 && (row == 0 || x.Length % row != 0)))
            {
                throw new ArgumentException($"The row length {rowLength} does not divide the input's length {x.Length}.", nameof(rowLength));
            }

            return row;
        }

        private static void Rows<T>(ReadOnlySpan<T> x, Span<T> destination, int rowLength, Operation operation)
            where T : unmanaged, INumber<T>
        {
            int row = CheckRows(x, destination, rowLength, nameof(destination));
            for (int start = 0; start < x.Length; start += row)
            {
                ForwardRow(x.Slice(start, row), destination.Slice(start, row), operation);
            }
        }

        /// <summary>One row; <paramref name="destination"/> is exactly as long as <paramref name="x"/> (Rows slices both).</summary>
        private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> destination, Operation operation)
            where T : unmanaged, INumber<T>
        {
            if (typeof(T) == typeof(float) && Avx512F.IsSupported)
            {
                ForwardRow512(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(destination), operation);
                return;
            }

            T max = Max(x);
            if (T.IsNaN(max) || T.IsPositiveInfinity(max))
            {
                destination.Fill(T.CreateTruncating(double.NaN));
                return;
            }

            if (operation == Operation.LogSoftmax && destination.Overlaps(x))
            {
                // In place, the exponentials would overwrite x before the last pass reads it: sum them without storing.
                double total = SumOfExp(x, -max);
                Elementwise.Map<T, Add<T>>(x, destination, new Add<T>(-max, T.CreateTruncating(-Math.Log(total))), nameof(destination));
                return;
            }

            // destination = e^(x − m), each ≤ 1; then the sum, in double.
            Elementwise.Map<T, ExpOf<T>>(x, destination, new ExpOf<T>(-max, T.One), nameof(destination));
            double sum = Sum((ReadOnlySpan<T>)destination);
            if (operation == Operation.Softmax)
            {
                Elementwise.Map<T, Divide<T>>(destination, destination, new Divide<T>(T.CreateTruncating(sum)), nameof(destination));
            }
            else
            {
                // (x − m) first, exact for x near m, then − ln Σ: one rounding of the small result.
                Elementwise.Map<T, Add<T>>(x, destination, new Add<T>(-max, T.CreateTruncating(-Math.Log(sum))), nameof(destination));
            }
        }

        /// <summary>
        /// The float row on AVX-512, the common case: three passes (maximum; exponentials and their sum;
        /// normalisation), each a tight loop of its own, where the general path's loops test every vector for NaN.
        /// </summary>
        private static void ForwardRow512(ReadOnlySpan<float> x, Span<float> destination, Operation operation)
        {
            float max = Max512(x);
            if (float.IsPositiveInfinity(max))
            {
                destination.Fill(float.NaN);
                return;
            }

            // Log-softmax needs x again after the sum, so it keeps the exponentials nowhere.
            double sum = ExpAndSum512(x, operation == Operation.Softmax ? destination : Span<float>.Empty, max);
            if (double.IsNaN(sum))
            {
                destination.Fill(float.NaN);
            }
            else if (operation == Operation.Softmax)
            {
                // 1/Σ in double, then one rounding of each product: within 1 ULP of the division, at a
                // multiplication's cost instead of a division's.
                Scale512(destination, (float)(1 / sum));
            }
            else
            {
                Elementwise.Map<float, Add<float>>(x, destination, new Add<float>(-max, (float)-Math.Log(sum)), nameof(destination));
            }
        }

        private static void BackwardRows<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> gradOutput, Span<T> gradInput, int rowLength, Operation operation)
            where T : unmanaged, INumber<T>
        {
            if (gradOutput.Length != output.Length)
            {
                throw new ArgumentException("'gradOutput' must have the length of the output.", nameof(gradOutput));
            }

            int row = CheckRows(output, gradInput, rowLength, nameof(gradInput));
            CheckRows(gradOutput, gradInput, row, nameof(gradInput));
            for (int start = 0; start < output.Length; start += row)
            {
                var y = output.Slice(start, row);
                var g = gradOutput.Slice(start, row);
                var d = gradInput.Slice(start, row);
                if (operation == Operation.Softmax)
                {
                    // d = y ⊙ (g − Σ g·y)
                    if (typeof(T) == typeof(float) && Avx512F.IsSupported)
                    {
                        var gf = MemoryMarshal.Cast<T, float>(g);
                        var yf = MemoryMarshal.Cast<T, float>(y);
                        SubtractTimes512(gf, (float)Dot512(gf, yf), yf, MemoryMarshal.Cast<T, float>(d));
                    }
                    else
                    {
                        T dot = T.CreateTruncating(Dot(g, y));
                        Elementwise.MapTimes<T, Add<T>>(g, y, d, new Add<T>(-dot, T.Zero), nameof(y), nameof(gradInput));
                    }
                }
                else
                {
                    // d = g − e^ℓ · Σ g
                    AddScaledExp(g, y, T.CreateTruncating(-Sum(g)), d);
                }
            }
        }

        /// <summary>
        /// destination[i] = addend[i] + scale·e^(x[i]), element by element at the same index, so destination may
        /// be the very same memory as either input.
        /// </summary>
        private static void AddScaledExp<T>(ReadOnlySpan<T> addend, ReadOnlySpan<T> x, T scale, Span<T> destination)
            where T : unmanaged, INumber<T>
        {
            var exp = new ExpOf<T>(T.Zero, scale);
            ref T a = ref MemoryMarshal.GetReference(addend);
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T d = ref MemoryMarshal.GetReference(destination);
            nuint length = (nuint)x.Length;
            nuint i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
                {
                    (Vector512.LoadUnsafe(ref a, i) + exp.Apply(Vector512.LoadUnsafe(ref xs, i))).StoreUnsafe(ref d, i);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
                {
                    (Vector256.LoadUnsafe(ref a, i) + exp.Apply(Vector256.LoadUnsafe(ref xs, i))).StoreUnsafe(ref d, i);
                }
            }

            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref a, i) + exp.Apply(Vector128.LoadUnsafe(ref xs, i))).StoreUnsafe(ref d, i);
            }

            for (; i < length; i++)
            {
                Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) + exp.Apply(Unsafe.Add(ref xs, i));
            }
        }

        /// <summary>The largest element; NaN if any is NaN.</summary>
        private static T Max<T>(ReadOnlySpan<T> x)
            where T : unmanaged, INumber<T>
        {
            int i = 0;
            T max = T.CreateTruncating(double.NegativeInfinity);
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
            {
                var maxes = new Vector<T>(max);
                var vectors = MemoryMarshal.Cast<T, Vector<T>>(x);
                foreach (var v in vectors)
                {
                    if (!Vector.EqualsAll(v, v))
                    {
                        return T.CreateTruncating(double.NaN); // a NaN lane
                    }

                    maxes = Vector.Max(maxes, v);
                }

                for (int lane = 0; lane < Vector<T>.Count; lane++)
                {
                    max = T.Max(max, maxes[lane]);
                }

                i = vectors.Length * Vector<T>.Count;
            }

            for (; i < x.Length; i++)
            {
                if (T.IsNaN(x[i]))
                {
                    return x[i];
                }

                max = T.Max(max, x[i]);
            }

            return max;
        }

        /// <summary>Σ e^(x + shift) without storing the exponentials (log-softmax in place).</summary>
        private static double SumOfExp<T>(ReadOnlySpan<T> x, T shift)
            where T : unmanaged, INumber<T>
        {
            Span<T> block = stackalloc T[256];
            var exp = new ExpOf<T>(shift, T.One);
            double sum = 0;
            for (int start = 0; start < x.Length; start += block.Length)
            {
                var part = x.Slice(start, Math.Min(block.Length, x.Length - start));
                Elementwise.Map<T, ExpOf<T>>(part, block, exp, "destination");
                sum += Sum((ReadOnlySpan<T>)block.Slice(0, part.Length));
            }

            return sum;
        }

        // The float paths for AVX-512, the common case: one pass each, two or four vectors per iteration so
        // that the additions of neighbouring iterations do not wait on each other, and the processor's max
        // instruction (NaN is looked for separately) rather than the IEEE maximum's several.

        private static float Max512(ReadOnlySpan<float> x)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            int n = x.Length, i = 0;
            Vector512<float> max0 = Vector512.Create(float.NegativeInfinity), max1 = max0, max2 = max0, max3 = max0;
            for (; i + 64 <= n; i += 64)
            {
                // VMAXPS returns its second operand where either is NaN: the accumulator, so a NaN input is
                // skipped here and shows in the exponentials' sum instead, where ForwardRow looks for it.
                max0 = Avx512F.Max(Vector512.LoadUnsafe(ref xs, (nuint)i), max0);
                max1 = Avx512F.Max(Vector512.LoadUnsafe(ref xs, (nuint)(i + 16)), max1);
                max2 = Avx512F.Max(Vector512.LoadUnsafe(ref xs, (nuint)(i + 32)), max2);
                max3 = Avx512F.Max(Vector512.LoadUnsafe(ref xs, (nuint)(i + 48)), max3);
            }

            for (; i + 16 <= n; i += 16)
            {
                max0 = Avx512F.Max(Vector512.LoadUnsafe(ref xs, (nuint)i), max0);
            }

            Vector512<float> all = Avx512F.Max(Avx512F.Max(max0, max1), Avx512F.Max(max2, max3));
            float max = float.NegativeInfinity;
            for (int lane = 0; lane < 16; lane++)
            {
                max = Math.Max(max, all.GetElement(lane));
            }

            for (; i < n; i++)
            {
                float v = Unsafe.Add(ref xs, i);
                max = v > max ? v : max;
            }

            return max;
        }

        /// <summary>
        /// Σ e^(x − max) accumulated in double, storing the exponentials in <paramref name="destination"/> unless it
        /// is empty. NaN if x holds a NaN: the exponential of NaN is NaN.
        /// </summary>
        private static double ExpAndSum512(ReadOnlySpan<float> x, Span<float> destination, float max)
        {
            bool store = !destination.IsEmpty;
            var shift = Vector512.Create(-max);
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ds = ref MemoryMarshal.GetReference(destination);
            int n = x.Length, i = 0;
            Vector512<double> s0 = Vector512<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i + 32 <= n; i += 32)
            {
                Vector512<float> e0 = ExpOfShifted512(Vector512.LoadUnsafe(ref xs, (nuint)i), shift);
                Vector512<float> e1 = ExpOfShifted512(Vector512.LoadUnsafe(ref xs, (nuint)(i + 16)), shift);
                if (store)
                {
                    e0.StoreUnsafe(ref ds, (nuint)i);
                    e1.StoreUnsafe(ref ds, (nuint)(i + 16));
                }

                s0 += Avx512F.ConvertToVector512Double(e0.GetLower());
                s1 += Avx512F.ConvertToVector512Double(e0.GetUpper());
                s2 += Avx512F.ConvertToVector512Double(e1.GetLower());
                s3 += Avx512F.ConvertToVector512Double(e1.GetUpper());
            }

            if (i + 16 <= n)
            {
                Vector512<float> e = ExpOfShifted512(Vector512.LoadUnsafe(ref xs, (nuint)i), shift);
                if (store)
                {
                    e.StoreUnsafe(ref ds, (nuint)i);
                }

                s0 += Avx512F.ConvertToVector512Double(e.GetLower());
                s1 += Avx512F.ConvertToVector512Double(e.GetUpper());
                i += 16;
            }

            double sum = Vector512.Sum((s0 + s1) + (s2 + s3));
            var exp = new ExpOf<float>(-max, 1f);
            for (; i < n; i++)
            {
                float e = exp.Apply(Unsafe.Add(ref xs, i));
                if (store)
                {
                    Unsafe.Add(ref ds, i) = e;
                }

                sum += e;
            }

            return sum;
        }

        /// <summary>
        /// e^(x + shift), x + shift ≤ 0, with the two-sum correction of <see cref="ExpOf{T}"/>, written out for
        /// AVX-512. VMAXPS and VMINPS return their second operand where either is NaN: the clamp at −104 (e^−104
        /// rounds to 0) keeps a NaN sum, so a NaN input shows in the sum, and the error term's NaN where x + shift
        /// is −∞ becomes a harmless 1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ExpOfShifted512(Vector512<float> x, Vector512<float> shift)
        {
            Vector512<float> s = x + shift;
            Vector512<float> bb = s - x;
            Vector512<float> err = Avx512F.Min((x - (s - bb)) + (shift - bb), Vector512<float>.One);
            Vector512<float> e = VectorMath.ExpOfClamped(Avx512F.Max(Vector512.Create(-104f), s));
            return Avx512F.FusedMultiplyAdd(e, err, e);
        }

        /// <summary>destination = x · factor in place, the softmax's normalisation.</summary>
        private static void Scale512(Span<float> destination, float factor)
        {
            var f = Vector512.Create(factor);
            ref float ds = ref MemoryMarshal.GetReference(destination);
            int n = destination.Length, i = 0;
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.LoadUnsafe(ref ds, (nuint)i) * f).StoreUnsafe(ref ds, (nuint)i);
            }

            for (; i < n; i++)
            {
                Unsafe.Add(ref ds, i) *= factor;
            }
        }

        /// <summary>gradInput = (g − dot) · y, the softmax backward's element pass; any of the three may be the same memory.</summary>
        private static void SubtractTimes512(ReadOnlySpan<float> g, float dot, ReadOnlySpan<float> y, Span<float> gradInput)
        {
            var d = Vector512.Create(dot);
            ref float gs = ref MemoryMarshal.GetReference(g);
            ref float ys = ref MemoryMarshal.GetReference(y);
            ref float outs = ref MemoryMarshal.GetReference(gradInput);
            int n = g.Length, i = 0;
            for (; i + 16 <= n; i += 16)
            {
                ((Vector512.LoadUnsafe(ref gs, (nuint)i) - d) * Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref outs, (nuint)i);
            }

            for (; i < n; i++)
            {
                Unsafe.Add(ref outs, i) = (Unsafe.Add(ref gs, i) - dot) * Unsafe.Add(ref ys, i);
            }
        }

        /// <summary>Σ a·b in float with four vectors of partial sums, as TensorPrimitives.Dot: the backward pass's one reduction.</summary>
        private static double Dot512(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            ref float left = ref MemoryMarshal.GetReference(a);
            ref float right = ref MemoryMarshal.GetReference(b);
            int n = a.Length, i = 0;
            Vector512<float> d0 = Vector512<float>.Zero, d1 = d0, d2 = d0, d3 = d0;
            for (; i + 64 <= n; i += 64)
            {
                d0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref left, (nuint)i), Vector512.LoadUnsafe(ref right, (nuint)i), d0);
                d1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref left, (nuint)(i + 16)), Vector512.LoadUnsafe(ref right, (nuint)(i + 16)), d1);
                d2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref left, (nuint)(i + 32)), Vector512.LoadUnsafe(ref right, (nuint)(i + 32)), d2);
                d3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref left, (nuint)(i + 48)), Vector512.LoadUnsafe(ref right, (nuint)(i + 48)), d3);
            }

            for (; i + 16 <= n; i += 16)
            {
                d0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref left, (nuint)i), Vector512.LoadUnsafe(ref right, (nuint)i), d0);
            }

            double sum = Vector512.Sum((d0 + d1) + (d2 + d3));
            for (; i < n; i++)
            {
                sum += (double)Unsafe.Add(ref left, i) * Unsafe.Add(ref right, i);
            }

            return sum;
        }

        /// <summary>Σ x, accumulated in double.</summary>
        private static double Sum<T>(ReadOnlySpan<T> x)
            where T : unmanaged, INumber<T>
        {
            double sum = 0;
            int i = 0;
            if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
            {
                var floats = MemoryMarshal.Cast<T, Vector<float>>(x);
                Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
                foreach (var v in floats)
                {
                    Vector.Widen(v, out var a, out var b);
                    low += a;
                    high += b;
                }

                sum = Vector.Sum(low + high);
                i = floats.Length * Vector<float>.Count;
            }
            else if (typeof(T) == typeof(double))
            {
                // Doubles have no wider type to sum in: Neumaier's compensated sum, lane by lane, keeps the
                // rounding errors of the additions (4,099 terms lost 8 ULP without it).
                double compensation = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var doubles = MemoryMarshal.Cast<T, Vector<double>>(x);
                    Vector<double> total = Vector<double>.Zero, lost = Vector<double>.Zero;
                    foreach (var v in doubles)
                    {
                        Vector<double> t = total + v;
                        lost += Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(total), Vector.Abs(v)), (total - t) + v, (v - t) + total);
                        total = t;
                    }

                    for (int lane = 0; lane < Vector<double>.Count; lane++)
                    {
                        AddCompensated(ref sum, ref compensation, total[lane]);
                        compensation += lost[lane];
                    }

                    i = doubles.Length * Vector<double>.Count;
                }

                for (; i < x.Length; i++)
                {
                    AddCompensated(ref sum, ref compensation, double.CreateTruncating(x[i]));
                }

                return sum + compensation;
            }

            for (; i < x.Length; i++)
            {
                sum += double.CreateTruncating(x[i]);
            }

            return sum;
        }

        private static void AddCompensated(ref double sum, ref double compensation, double value)
        {
            double t = sum + value;
            compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
            sum = t;
        }

        /// <summary>Σ a·b, accumulated in double.</summary>
        private static double Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
            where T : unmanaged, INumber<T>
        {
            double sum = 0;
            int i = 0;
            if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
            {
                var left = MemoryMarshal.Cast<T, Vector<float>>(a);
                var right = MemoryMarshal.Cast<T, Vector<float>>(b);
                Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
                for (int v = 0; v < left.Length; v++)
                {
                    Vector.Widen(left[v], out var la, out var lb);
                    Vector.Widen(right[v], out var ra, out var rb);
                    low += la * ra;
                    high += lb * rb;
                }

                sum = Vector.Sum(low + high);
                i = left.Length * Vector<float>.Count;
            }
            else if (typeof(T) == typeof(double) && Vector.IsHardwareAccelerated)
            {
                var left = MemoryMarshal.Cast<T, Vector<double>>(a);
                var right = MemoryMarshal.Cast<T, Vector<double>>(b);
                Vector<double> total = Vector<double>.Zero;
                for (int v = 0; v < left.Length; v++)
                {
                    total += left[v] * right[v];
                }

                sum = Vector.Sum(total);
                i = left.Length * Vector<double>.Count;
            }

            for (; i < a.Length; i++)
            {
                sum += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
            }

            return sum;
        }

        /// <summary>
        /// scale·e^(x + shift), with the rounding error of x + shift put back: e^(s + err) ≈ e^s·(1 + err). The
        /// error of a rounded difference d is up to |d|·ε/2, which e^d turns into a relative error of the same
        /// size: 25 ULP at d = −50 without the correction.
        /// </summary>
        private readonly struct ExpOf<T> : IElementwiseOperator<T>
            where T : unmanaged, INumber<T>
        {
            private readonly T shift;
            private readonly T scale;

            public ExpOf(T shift, T scale)
            {
                this.shift = shift;
                this.scale = scale;
            }

            public bool HasParameters => true;

            public bool IsCheap => false;

            public T Apply(T x) => scale * T.CreateTruncating(Math.Exp(double.CreateTruncating(x) + double.CreateTruncating(shift)));

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public Vector128<T> Apply(Vector128<T> x)
            {
                // Knuth's two-sum: s + err = x + shift exactly. Where s is infinite, err is NaN: 0 instead.
                Vector128<T> b = Vector128.Create(shift);
                Vector128<T> s = x + b;
                Vector128<T> bb = s - x;
                Vector128<T> err = (x - (s - bb)) + (b - bb);
                err = Vector128.ConditionalSelect(Vector128.Equals(err, err), err, Vector128<T>.Zero);
                Vector128<T> e = Exp(s);
                return Vector128.Create(scale) * (e + e * err);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public Vector256<T> Apply(Vector256<T> x)
            {
                Vector256<T> b = Vector256.Create(shift);
                Vector256<T> s = x + b;
                Vector256<T> bb = s - x;
                Vector256<T> err = (x - (s - bb)) + (b - bb);
                err = Vector256.ConditionalSelect(Vector256.Equals(err, err), err, Vector256<T>.Zero);
                Vector256<T> e = Exp(s);
                return Vector256.Create(scale) * (e + e * err);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public Vector512<T> Apply(Vector512<T> x)
            {
                Vector512<T> b = Vector512.Create(shift);
                Vector512<T> s = x + b;
                Vector512<T> bb = s - x;
                Vector512<T> err = (x - (s - bb)) + (b - bb);
                err = Vector512.ConditionalSelect(Vector512.Equals(err, err), err, Vector512<T>.Zero);
                Vector512<T> e = Exp(s);
                return Vector512.Create(scale) * (e + e * err);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static Vector128<T> Exp(Vector128<T> x) =>
                typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static Vector256<T> Exp(Vector256<T> x) =>
                typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private static Vector512<T> Exp(Vector512<T> x) =>
                typeof(T) == typeof(float) ? VectorMath.Exp(x.AsSingle()).As<float, T>() : VectorMath.Exp(x.AsDouble()).As<double, T>();
        }

        /// <summary>x / divisor (a division, not a multiplication by the reciprocal: half an ULP less error).</summary>
        private readonly struct Divide<T> : IElementwiseOperator<T>
            where T : unmanaged, INumber<T>
        {
            private readonly T divisor;

            public Divide(T divisor) => this.divisor = divisor;

            public bool HasParameters => true;

            public bool IsCheap => true;

            public T Apply(T x) => x / divisor;

            public Vector128<T> Apply(Vector128<T> x) => x / Vector128.Create(divisor);

            public Vector256<T> Apply(Vector256<T> x) => x / Vector256.Create(divisor);

            public Vector512<T> Apply(Vector512<T> x) => x / Vector512.Create(divisor);
        }

        /// <summary>(x + first) + second, in that order: x − m is exact for x near m, and the second term rounds once.</summary>
        private readonly struct Add<T> : IElementwiseOperator<T>
            where T : unmanaged, INumber<T>
        {
            private readonly T first;
            private readonly T second;

            public Add(T first, T second)
            {
                this.first = first;
                this.second = second;
            }

            public bool HasParameters => true;

            public bool IsCheap => true;

            public T Apply(T x) => (x + first) + second;

            public Vector128<T> Apply(Vector128<T> x) => (x + Vector128.Create(first)) + Vector128.Create(second);

            public Vector256<T> Apply(Vector256<T> x) => (x + Vector256.Create(first)) + Vector256.Create(second);

            public Vector512<T> Apply(Vector512<T> x) => (x + Vector512.Create(first)) + Vector512.Create(second);
        }
    }
}
