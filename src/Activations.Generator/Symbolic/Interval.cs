namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// A real interval whose ends may be open; infinite ends are always open. Used to prove that the
    /// branches of a piecewise activation have separate ranges, so that the output decides the branch.
    /// </summary>
    internal readonly struct Interval
    {
        public Interval(double lo, bool loOpen, double hi, bool hiOpen)
        {
            Lo = lo;
            Hi = hi;
            LoOpen = loOpen || double.IsInfinity(lo);
            HiOpen = hiOpen || double.IsInfinity(hi);
        }

        public double Lo { get; }

        public double Hi { get; }

        public bool LoOpen { get; }

        public bool HiOpen { get; }

        public static Interval Point(double value) => new(value, false, value, false);

        public static Interval Open(double lo, double hi) => new(lo, true, hi, true);

        public override string ToString() => $"{(LoOpen ? "(" : "[")}{Lo}, {Hi}{(HiOpen ? ")" : "]")}";

        /// <summary>True when every point of this interval lies below every point of <paramref name="other"/>.</summary>
        public bool IsBelow(Interval other) => Hi < other.Lo || (Hi == other.Lo && (HiOpen || other.LoOpen));

        /// <summary>The range of <paramref name="e"/> for z in <paramref name="z"/>; null where this simple analysis cannot bound it.</summary>
        public static Interval? RangeOf(Expr e, Interval z)
        {
            switch (e)
            {
                case Constant c:
                    return Point(c.Value);
                case Variable:
                    return z;
                case Sum sum:
                    return Fold(sum.Terms, Point(0), Add, z);
                case Product product:
                    return Fold(product.Factors, Point(1), Multiply, z);
                case Power { Exponent: Constant exponent } power:
                    return RangeOf(power.Base, z) is { } b ? Pow(b, exponent.Value) : null;
                case Call call:
                    if (RangeOf(call.Argument, z) is not { } a)
                    {
                        return null;
                    }

                    var function = MathFunctions.Of(call.Function);
                    return function.IncreasingFrom is double from && a.Lo >= from ? Increasing(a, function.Evaluate) : null;
                default:
                    return null;
            }
        }

        /// <summary>Combines the ranges of the operands; null as soon as one cannot be bounded.</summary>
        private static Interval? Fold(IEnumerable<Expr> operands, Interval seed, Func<Interval, Interval, Interval> combine, Interval z)
        {
            var total = seed;
            foreach (var operand in operands)
            {
                if (RangeOf(operand, z) is not { } range)
                {
                    return null;
                }

                total = combine(total, range);
            }

            return total;
        }

        private static Interval Add(Interval a, Interval b) => new(a.Lo + b.Lo, a.LoOpen || b.LoOpen, a.Hi + b.Hi, a.HiOpen || b.HiOpen);

        private static Interval Multiply(Interval a, Interval b)
        {
            var candidates = new[]
            {
                (Times(a.Lo, b.Lo), a.LoOpen || b.LoOpen),
                (Times(a.Lo, b.Hi), a.LoOpen || b.HiOpen),
                (Times(a.Hi, b.Lo), a.HiOpen || b.LoOpen),
                (Times(a.Hi, b.Hi), a.HiOpen || b.HiOpen),
            };
            double lo = candidates.Min(c => c.Item1);
            double hi = candidates.Max(c => c.Item1);

            // An end is open only if every way of reaching it is open.
            bool loOpen = candidates.Where(c => c.Item1 == lo).All(c => c.Item2);
            bool hiOpen = candidates.Where(c => c.Item1 == hi).All(c => c.Item2);
            return new Interval(lo, loOpen, hi, hiOpen);
        }

        private static double Times(double x, double y) => x == 0 || y == 0 ? 0 : x * y;

        private static Interval? Pow(Interval b, double exponent)
        {
            if (exponent == -1)
            {
                bool containsZero = b.Lo < 0 ? b.Hi >= 0 : b.Lo == 0;
                return containsZero ? null : new Interval(1 / b.Hi, b.HiOpen, 1 / b.Lo, b.LoOpen);
            }

            if (Algebra.IsInteger(exponent) && exponent > 0)
            {
                if (exponent % 2 == 1 || b.Lo >= 0)
                {
                    return Increasing(b, x => Math.Pow(x, exponent));
                }

                if (b.Hi <= 0)
                {
                    return Decreasing(b, x => Math.Pow(x, exponent));
                }

                double top = Math.Max(Math.Pow(b.Lo, exponent), Math.Pow(b.Hi, exponent));
                return new Interval(0, false, top, false);
            }

            if (!Algebra.IsInteger(exponent) && exponent > 0 && b.Lo >= 0)
            {
                return Increasing(b, x => Math.Pow(x, exponent));
            }

            return null;
        }

        private static Interval Increasing(Interval a, Func<double, double> f) => new(f(a.Lo), a.LoOpen, f(a.Hi), a.HiOpen);

        private static Interval Decreasing(Interval a, Func<double, double> f) => new(f(a.Hi), a.HiOpen, f(a.Lo), a.LoOpen);
    }
}
