using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    // The functions at one vector width, written at the widest: the build makes the Vector256 and Vector128
    // copies from this file (the WriteNarrowerWidths target in Activations.csproj replaces "512"). What
    // differs by width (the instructions each width has) is in VectorMath.Instructions.cs.
    public static partial class VectorMath
    {
        /// <summary>
        /// x = n·ln 2 + r with |r| ≤ ln2/2; returns e^r − 1 and n as an integer. Adding 1.5·2^23 rounds
        /// x/ln 2 to an integer held in the low mantissa bits, so no float-to-int conversion is needed.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ReduceExp(Vector512<float> x, out Vector512<float> n, out Vector512<int> k)
        {
            const float Shift = 12582912f;
            Vector512<float> shifted = MulAdd(x, Vector512.Create(1.44269504f), Vector512.Create(Shift));
            k = shifted.AsInt32() - Vector512.Create(0x4B400000);
            n = shifted - Vector512.Create(Shift);
            Vector512<float> r = MulAdd(n, Vector512.Create(2.12194440e-4f), MulAdd(n, Vector512.Create(-0.693359375f), x));
            Vector512<float> p = Vector512.Create(1.98412698e-4f);
            p = MulAdd(p, r, Vector512.Create(1.38888889e-3f));
            p = MulAdd(p, r, Vector512.Create(8.33333333e-3f));
            p = MulAdd(p, r, Vector512.Create(4.16666667e-2f));
            p = MulAdd(p, r, Vector512.Create(1.66666667e-1f));
            p = MulAdd(p, r, Vector512.Create(0.5f));
            return MulAdd(r * r, p, r); // e^r − 1
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> PowerOfTwo(Vector512<int> k) => Vector512.ShiftLeft(k + Vector512.Create(127), 23).AsSingle();

        /// <summary>e^x, within 2 ULP. The clamp makes 2^n overflow to ∞ above 88.72 and round to 0 below −103.97.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Exp(Vector512<float> x) =>
            ExpOfClamped(Vector512.Min(Vector512.Max(x, Vector512.Create(-104f)), Vector512.Create(89f)));

        /// <summary>
        /// e^x for x the caller has put in [−104, 89], or NaN, which gives NaN: softmax's exponentials, whose
        /// inputs are ≤ 0 already, clamp below only, with an instruction that keeps NaN.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> ExpOfClamped(Vector512<float> x)
        {
            Vector512<float> expM1 = ReduceExp(x, out Vector512<float> n, out Vector512<int> k);
            return ScaleByPowerOfTwo(expM1 + Vector512<float>.One, n, k);
        }

        /// <summary>m·2^n (n integral, k the same as an integer) rounded once, into the subnormals too.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ScaleByPowerOfTwo(Vector512<float> m, Vector512<float> n, Vector512<int> k)
        {
            if (ScalesVector512)
            {
                return Scale(m, n);
            }

            Vector512<int> half = Vector512.ShiftRightArithmetic(k, 1);
            return m * PowerOfTwo(half) * PowerOfTwo(k - half);
        }

        /// <summary>
        /// e^x as an addend of a far larger constant (the 1 + e^−z of the sigmoid): exact where e^x is a
        /// normal float, and e^−86.5 below that, which the constant absorbs. 2^n is applied in one step.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> ExpAddend(Vector512<float> x)
        {
            Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-86.5f)), Vector512.Create(89f));
            Vector512<float> expM1 = ReduceExp(clamped, out _, out Vector512<int> k);

            // 2·e^r · 2^(n − 1): n − 1 stays inside the normal exponents for every n the clamp allows.
            Vector512<float> twiceExp = MulAdd(expM1, Vector512.Create(2f), Vector512.Create(2f));
            return twiceExp * Vector512.ShiftLeft(k + Vector512.Create(126), 23).AsSingle();
        }

        /// <summary>e^x − 1 without cancellation near 0: 2^n·(e^r − 1) + (2^n − 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> ExpM1(Vector512<float> x)
        {
            // Below −30, e^x − 1 rounds to −1; above 88.72 it overflows.
            Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-30f)), Vector512.Create(88.5f));
            Vector512<float> result = ExpM1Core(clamped);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(88.7228394f)), Vector512.Create(float.PositiveInfinity), result);
        }

        /// <summary>e^x − 1 for x already in [−30, 88.5].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ExpM1Core(Vector512<float> x)
        {
            Vector512<float> expM1 = ReduceExp(x, out _, out Vector512<int> k);
            Vector512<float> scale = PowerOfTwo(k);
            return MulAdd(scale, expM1, scale - Vector512<float>.One);
        }

        /// <summary>
        /// tanh x = E/(E + 2) with E = e^(2|x|) − 1, the sign restored; within 3 ULP, exact sign at ±0.
        /// 2|x| is capped at 20, where E/(E + 2) already rounds to 1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Tanh(Vector512<float> x)
        {
            Vector512<float> a = Vector512.Abs(x);
            Vector512<float> e = ExpM1Core(Vector512.Min(a + a, Vector512.Create(20f)));
            Vector512<float> t = e / (e + Vector512.Create(2f));
            Vector512<int> sign = x.AsInt32() & Vector512.Create(unchecked((int)0x80000000));
            return (t.AsInt32() | sign).AsSingle();
        }

        /// <summary>ln x, within 2 ULP: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Log(Vector512<float> x)
        {
            Vector512<float> subnormal = Vector512.LessThan(x, Vector512.Create(1.17549435e-38f));
            Vector512<float> scaled = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(8388608f), x);
            Vector512<int> bits = scaled.AsInt32();
            Vector512<float> exponent = Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(127));
            Vector512<float> m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).AsSingle();
            Vector512<float> large = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
            m = Vector512.ConditionalSelect(large, m * Vector512.Create(0.5f), m);
            exponent += Vector512.ConditionalSelect(large, Vector512<float>.One, Vector512<float>.Zero);
            exponent -= Vector512.ConditionalSelect(subnormal, Vector512.Create(23f), Vector512<float>.Zero);
            Vector512<float> f = m - Vector512<float>.One;
            Vector512<float> s = f / (f + Vector512.Create(2f));
            Vector512<float> s2 = s * s;
            Vector512<float> p = Vector512.Create(1f / 9f);
            p = MulAdd(p, s2, Vector512.Create(1f / 7f));
            p = MulAdd(p, s2, Vector512.Create(1f / 5f));
            p = MulAdd(p, s2, Vector512.Create(1f / 3f));
            Vector512<float> logM = f - s * (f - s2 * p * Vector512.Create(2f));
            Vector512<float> result = exponent * Vector512.Create(0.693359375f) + (logM + exponent * Vector512.Create(-2.12194440e-4f));
            result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), result);
            result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(float.NaN), result);
            return Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, result);
        }

        /// <summary>
        /// ln(1 + x) without losing x's digits near 0: ln v + (x − (v − 1))/v with v = 1 + x rounded, the
        /// second term restoring what the rounding of v dropped. Exact sign and value at ±0 and subnormals.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Log1P(Vector512<float> x)
        {
            Vector512<float> v = Vector512<float>.One + x;
            Vector512<float> result = Log(v) + (x - (v - Vector512<float>.One)) / v;
            result = Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<float>.One), x, result);
            result = Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), result);
            return Vector512.ConditionalSelect(Vector512.Equals(v, Vector512.Create(float.PositiveInfinity)), v, result);
        }

        /// <summary>ln(1 + e^x) (softplus) as max(x, 0) + ln1p(e^(−|x|)): finite for every finite x, and every digit kept in the tail.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> LogOnePlusExp(Vector512<float> x) =>
            Vector512.Max(x, Vector512<float>.Zero) + Log1P(Exp(-Vector512.Abs(x)));

        /// <summary>x = n·ln 2 + r with |r| ≤ ln2/2; returns e^r − 1 and n as an integer (see the float version).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> ReduceExp(Vector512<double> x, out Vector512<double> n, out Vector512<long> k)
        {
            const double Shift = 6755399441055744.0; // 1.5·2^52
            Vector512<double> shifted = MulAdd(x, Vector512.Create(1.4426950408889634), Vector512.Create(Shift));
            k = shifted.AsInt64() - Vector512.Create(0x4338000000000000L);
            n = shifted - Vector512.Create(Shift);
            Vector512<double> r = MulAdd(n, Vector512.Create(-1.90821492927058770002e-10), MulAdd(n, Vector512.Create(-6.93147180369123816490e-01), x));
            Vector512<double> p = Vector512.Create(1.6059043836821613e-10); // 1/13!
            p = MulAdd(p, r, Vector512.Create(2.08767569878681e-09));
            p = MulAdd(p, r, Vector512.Create(2.505210838544172e-08));
            p = MulAdd(p, r, Vector512.Create(2.755731922398589e-07));
            p = MulAdd(p, r, Vector512.Create(2.7557319223985893e-06));
            p = MulAdd(p, r, Vector512.Create(2.48015873015873e-05));
            p = MulAdd(p, r, Vector512.Create(1.984126984126984e-04));
            p = MulAdd(p, r, Vector512.Create(1.388888888888889e-03));
            p = MulAdd(p, r, Vector512.Create(8.333333333333333e-03));
            p = MulAdd(p, r, Vector512.Create(4.1666666666666664e-02));
            p = MulAdd(p, r, Vector512.Create(1.6666666666666666e-01));
            p = MulAdd(p, r, Vector512.Create(0.5));
            return MulAdd(r * r, p, r); // e^r − 1
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> PowerOfTwo(Vector512<long> k) => Vector512.ShiftLeft(k + Vector512.Create(1023L), 52).AsDouble();

        /// <summary>e^x, within 2 ULP. The clamp makes 2^n overflow to ∞ above 709.78 and round to 0 below −745.13.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Exp(Vector512<double> x)
        {
            Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-746.0)), Vector512.Create(710.0));
            Vector512<double> expM1 = ReduceExp(clamped, out Vector512<double> n, out Vector512<long> k);
            return ScaleByPowerOfTwo(expM1 + Vector512<double>.One, n, k);
        }

        /// <summary>m·2^n (n integral, k the same as an integer) rounded once, into the subnormals too.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> ScaleByPowerOfTwo(Vector512<double> m, Vector512<double> n, Vector512<long> k)
        {
            if (ScalesVector512)
            {
                return Scale(m, n);
            }

            Vector512<long> half = Vector512.ShiftRightArithmetic(k, 1);
            return m * PowerOfTwo(half) * PowerOfTwo(k - half);
        }

        /// <summary>e^x as an addend of a far larger constant (see the float version); e^−707 below the normal range.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ExpAddend(Vector512<double> x)
        {
            Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-707.0)), Vector512.Create(710.0));
            Vector512<double> expM1 = ReduceExp(clamped, out _, out Vector512<long> k);
            Vector512<double> twiceExp = MulAdd(expM1, Vector512.Create(2.0), Vector512.Create(2.0));
            return twiceExp * Vector512.ShiftLeft(k + Vector512.Create(1022L), 52).AsDouble();
        }

        /// <summary>e^x − 1 without cancellation near 0: 2^n·(e^r − 1) + (2^n − 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ExpM1(Vector512<double> x)
        {
            // Below −40, e^x − 1 rounds to −1; above 709.78 it overflows.
            Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-40.0)), Vector512.Create(709.5));
            Vector512<double> result = ExpM1Core(clamped);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(709.782712893384)), Vector512.Create(double.PositiveInfinity), result);
        }

        /// <summary>e^x − 1 for x already in [−40, 709.5].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> ExpM1Core(Vector512<double> x)
        {
            Vector512<double> expM1 = ReduceExp(x, out _, out Vector512<long> k);
            Vector512<double> scale = PowerOfTwo(k);
            return MulAdd(scale, expM1, scale - Vector512<double>.One);
        }

        /// <summary>tanh x = E/(E + 2) with E = e^(2|x|) − 1, the sign restored; 2|x| capped at 40, where it rounds to 1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Tanh(Vector512<double> x)
        {
            Vector512<double> a = Vector512.Abs(x);
            Vector512<double> e = ExpM1Core(Vector512.Min(a + a, Vector512.Create(40.0)));
            Vector512<double> t = e / (e + Vector512.Create(2.0));
            Vector512<long> sign = x.AsInt64() & Vector512.Create(long.MinValue);
            return (t.AsInt64() | sign).AsDouble();
        }

        /// <summary>ln x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Log(Vector512<double> x)
        {
            Vector512<double> subnormal = Vector512.LessThan(x, Vector512.Create(2.2250738585072014e-308));
            Vector512<double> scaled = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(4503599627370496.0), x);
            Vector512<long> bits = scaled.AsInt64();
            Vector512<double> exponent = Vector512.ConvertToDouble(Vector512.ShiftRightArithmetic(bits, 52) - Vector512.Create(1023L));
            Vector512<double> m = ((bits & Vector512.Create(0x000FFFFFFFFFFFFFL)) | Vector512.Create(0x3FF0000000000000L)).AsDouble();
            Vector512<double> large = Vector512.GreaterThan(m, Vector512.Create(1.4142135623730951));
            m = Vector512.ConditionalSelect(large, m * Vector512.Create(0.5), m);
            exponent += Vector512.ConditionalSelect(large, Vector512<double>.One, Vector512<double>.Zero);
            exponent -= Vector512.ConditionalSelect(subnormal, Vector512.Create(52.0), Vector512<double>.Zero);
            Vector512<double> f = m - Vector512<double>.One;
            Vector512<double> s = f / (f + Vector512.Create(2.0));
            Vector512<double> s2 = s * s;
            Vector512<double> p = Vector512.Create(1.0 / 23);
            p = MulAdd(p, s2, Vector512.Create(1.0 / 21));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 19));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 17));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 15));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 13));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 11));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 9));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 7));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 5));
            p = MulAdd(p, s2, Vector512.Create(1.0 / 3));
            Vector512<double> logM = f - s * (f - s2 * p * Vector512.Create(2.0));
            Vector512<double> result = exponent * Vector512.Create(6.93147180369123816490e-01) + (logM + exponent * Vector512.Create(1.90821492927058770002e-10));
            result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity), result);
            result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(double.NaN), result);
            return Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, result);
        }

        /// <summary>
        /// ln(1 + x) without losing x's digits near 0: ln v + (x − (v − 1))/v with v = 1 + x rounded, the
        /// second term restoring what the rounding of v dropped. Exact sign and value at ±0 and subnormals.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Log1P(Vector512<double> x)
        {
            Vector512<double> v = Vector512<double>.One + x;
            Vector512<double> result = Log(v) + (x - (v - Vector512<double>.One)) / v;
            result = Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<double>.One), x, result);
            result = Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity), result);
            return Vector512.ConditionalSelect(Vector512.Equals(v, Vector512.Create(double.PositiveInfinity)), v, result);
        }

        /// <summary>ln(1 + e^x) (softplus) as max(x, 0) + ln1p(e^(−|x|)): finite for every finite x, and every digit kept in the tail.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> LogOnePlusExp(Vector512<double> x) =>
            Vector512.Max(x, Vector512<double>.Zero) + Log1P(Exp(-Vector512.Abs(x)));
    }
}
