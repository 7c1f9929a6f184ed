namespace Activations.Generator.Simplification
{
    /// <summary>
    /// Factors a polynomial in the variable with constant coefficients by its small rational roots:
    /// y − 3y² + 2y³ → y·(1 − y)·(1 − 2y). Near a root the factored form keeps its relative accuracy
    /// (1 − y is exact where y is near 1) where the multiplied-out one cancels, so output forms
    /// (σ″ = y(1 − y)(1 − 2y), tanh″ = −2y(1 − y)(1 + y)) use it whenever a root exists.
    /// </summary>
    internal static class RationalRoots
    {
        /// <summary>Polynomials of higher degree are left as they are: no output form in practice has one.</summary>
        private const int MaxDegree = 8;

        /// <summary>Roots p/q are looked for with q up to this and |p/q| up to <see cref="MaxRootMagnitude"/>.</summary>
        private const int MaxDenominator = 8;

        private const int MaxRootMagnitude = 8;

        /// <summary>The factored form, or null when <paramref name="expanded"/> is not such a polynomial or has no non-zero rational root.</summary>
        public static Expr? Factor(Expr expanded)
        {
            if (Coefficients(expanded) is not { } coefficients || coefficients.Count < 3)
            {
                return null; // constants and linear polynomials are their own factored form
            }

            var factors = new List<Expr>();
            double scale = 1;
            bool foundNonZeroRoot = false;
            while (coefficients.Count > 1 && FindRoot(coefficients) is { } root)
            {
                foundNonZeroRoot |= root.P != 0;
                coefficients = Deflate(coefficients, (double)root.P / root.Q);
                if (root.P == 0)
                {
                    factors.Add(Algebra.Z);
                    continue;
                }

                // y − p/q = ∓(|p| ∓ q·y)/q, written with its constant first and positive: (1 − y), (1 + y), (1 − 2y).
                int sign = Math.Sign(root.P);
                factors.Add(Algebra.Add(Algebra.Num(Math.Abs(root.P)), Algebra.Mul(Algebra.Num(-sign * root.Q), Algebra.Z)));
                scale *= -sign / (double)root.Q;
            }

            if (!foundNonZeroRoot)
            {
                return null;
            }

            var rest = Algebra.Add(coefficients.Select((c, power) => Algebra.Mul(Algebra.Num(c * scale), Algebra.Pow(Algebra.Z, Algebra.Num(power)))));
            return Algebra.Mul(factors.Append(rest));
        }

        /// <summary>Coefficients from the constant term up, or null when a term is not c·yᵏ with a constant c.</summary>
        private static List<double>? Coefficients(Expr e)
        {
            var terms = e is Sum sum ? sum.Terms.ToList() : new List<Expr> { e };
            var coefficients = new double[MaxDegree + 1];
            int degree = 0;
            foreach (var term in terms)
            {
                var (coefficient, core) = term is Constant c ? (c.Value, Constant.One) : Algebra.SplitCoefficient(term);
                int power;
                switch (core)
                {
                    case Constant { Value: 1 }:
                        power = 0;
                        break;
                    case Variable:
                        power = 1;
                        break;
                    case Power { Base: Variable, Exponent: Constant { Value: var x } } when Algebra.IsInteger(x) && x >= 2 && x <= MaxDegree:
                        power = (int)x;
                        break;
                    default:
                        return null;
                }

                coefficients[power] += coefficient;
                degree = Math.Max(degree, power);
            }

            return coefficients.Take(degree + 1).ToList();
        }

        private static (int P, int Q)? FindRoot(List<double> coefficients)
        {
            if (coefficients[0] == 0)
            {
                return (0, 1);
            }

            for (int q = 1; q <= MaxDenominator; q++)
            {
                for (int magnitude = 1; magnitude <= MaxRootMagnitude * q; magnitude++)
                {
                    if (Gcd(magnitude, q) != 1)
                    {
                        continue;
                    }

                    foreach (int p in new[] { magnitude, -magnitude })
                    {
                        if (IsRoot(coefficients, (double)p / q))
                        {
                            return (p, q);
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>P(r) is zero up to the round-off of evaluating it.</summary>
        private static bool IsRoot(List<double> coefficients, double r)
        {
            double value = 0, bound = 0;
            for (int i = coefficients.Count - 1; i >= 0; i--)
            {
                value = value * r + coefficients[i];
                bound = bound * Math.Abs(r) + Math.Abs(coefficients[i]);
            }

            return Math.Abs(value) <= 1e-13 * bound;
        }

        /// <summary>P(y)/(y − r) by synthetic division (the remainder is zero: r is a root).</summary>
        private static List<double> Deflate(List<double> coefficients, double r)
        {
            int n = coefficients.Count - 1;
            var quotient = new double[n];
            double carry = 0;
            for (int i = n; i >= 1; i--)
            {
                carry = coefficients[i] + carry * r;
                quotient[i - 1] = Snap(carry);
            }

            return quotient.ToList();
        }

        /// <summary>Division by 1/3 leaves 0.9999999999999998 where the exact quotient is 1.</summary>
        private static double Snap(double value)
        {
            double nearest = Math.Round(value * 1_000_000) / 1_000_000;
            return Math.Abs(value - nearest) <= 1e-12 * Math.Max(1, Math.Abs(value)) ? nearest : value;
        }

        private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }
}
