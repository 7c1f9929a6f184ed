using System.Collections.Generic;
using System.Linq;
using Activations.Generator.Symbolic;

namespace Activations.Generator.Simplification
{
    /// <summary>
    /// Rewrites a derivative into forms that stay finite wherever the true value is finite.
    /// The one rewrite that matters in practice: e^(m·w)·(c + b·e^w)^(−n) → e^((m−k)·w)·(c + b·e^w)^(−(n−k))·(c·e^(−w) + b)^(−k),
    /// k = min(m, n). It turns e^z/(1 + e^z), which is ∞/∞ = NaN for large z, into 1/(e^(−z) + 1),
    /// and the naive sigmoid derivative e^(−z)/(1 + e^(−z))² into a product of two such factors.
    /// </summary>
    internal static class Stabilizer
    {
        private const int MaxRewritesPerProduct = 8;

        public static Expr Stabilize(Expr expr) => ExprRewriter.Rewrite(expr, after: node => node switch
        {
            Product p => StabilizeProduct(p),
            Sum s => OnePlusMinusTanh(s) ?? s,
            _ => node,
        });

        /// <summary>
        /// 1 ± tanh u → 2/(1 + e^(∓2u)). Near tanh u = ∓1 the sum cancels every digit (GELU′ and mish′ in
        /// their tails, tanh′ = (1 − t)(1 + t)); the quotient keeps them, and overflow only sends it to 0.
        /// </summary>
        private static Expr? OnePlusMinusTanh(Sum sum)
        {
            if (sum.Terms.Count != 2 || !sum.Terms[0].IsConstant(1))
            {
                return null;
            }

            var (sign, core) = Algebra.SplitCoefficient(sum.Terms[1]);
            if (core is not Call { Function: MathFunction.Tanh } tanh || (sign != 1 && sign != -1))
            {
                return null;
            }

            var exponent = Algebra.Mul(Algebra.Num(-2 * sign), tanh.Argument);
            return Algebra.Mul(Algebra.Num(2), Algebra.Reciprocal(Algebra.Add(Constant.One, Algebra.Exp(exponent))));
        }

        private static Expr StabilizeProduct(Product product)
        {
            Expr current = product;
            for (int round = 0; round < MaxRewritesPerProduct && current is Product p; round++)
            {
                var rewritten = TryRewrite(p);
                if (rewritten is null)
                {
                    break;
                }

                current = rewritten;
            }

            return current;
        }

        private static Expr? TryRewrite(Product product)
        {
            var factors = product.Factors;
            for (int i = 0; i < factors.Count; i++)
            {
                if (factors[i] is not Power { Exponent: Constant { Value: < 0 } exponent, Base: Sum sum } denominator)
                {
                    continue;
                }

                if (!TrySplitExponentialSum(sum, out var c, out var b, out var w))
                {
                    continue;
                }

                for (int j = 0; j < factors.Count; j++)
                {
                    if (factors[j] is not Call { Function: MathFunction.Exp } numerator || !TryRatio(numerator.Argument, w, out double m) || m <= 0)
                    {
                        continue;
                    }

                    double n = -exponent.Value;
                    double k = m < n ? m : n;
                    var rest = factors.Where((_, index) => index != i && index != j).ToList();
                    rest.Add(Algebra.Exp(Algebra.Mul(Algebra.Num(m - k), w)));
                    rest.Add(Algebra.Pow(denominator.Base, Algebra.Num(-(n - k))));
                    rest.Add(Algebra.Pow(Algebra.Add(Algebra.Mul(c, Algebra.Exp(Algebra.Neg(w))), b), Algebra.Num(-k)));
                    return Algebra.Mul(rest);
                }
            }

            return null;
        }

        /// <summary>Matches c + b·e^w with c and b free of z.</summary>
        private static bool TrySplitExponentialSum(Sum sum, out Expr c, out Expr b, out Expr w)
        {
            c = b = w = Constant.Zero;
            var withVariable = sum.Terms.Where(t => t.ContainsVariable).ToList();
            if (withVariable.Count != 1)
            {
                return false;
            }

            var term = withVariable[0];
            var factors = term is Product p ? p.Factors.ToList() : new List<Expr> { term };
            int expIndex = factors.FindIndex(f => f is Call { Function: MathFunction.Exp });
            if (expIndex < 0 || factors.Where((_, i) => i != expIndex).Any(f => f.ContainsVariable))
            {
                return false;
            }

            w = ((Call)factors[expIndex]).Argument;
            b = Algebra.Mul(factors.Where((_, i) => i != expIndex));
            c = Algebra.Add(sum.Terms.Where(t => !t.ContainsVariable));
            return !c.IsConstant(0);
        }

        /// <summary>v = m·w for a constant m.</summary>
        private static bool TryRatio(Expr v, Expr w, out double m)
        {
            var (cv, coreV) = Algebra.SplitCoefficient(v);
            var (cw, coreW) = Algebra.SplitCoefficient(w);
            m = cw == 0 ? 0 : cv / cw;
            return coreV.Equals(coreW) && cw != 0;
        }
    }
}
