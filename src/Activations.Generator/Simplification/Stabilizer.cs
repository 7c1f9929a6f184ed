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
        /// <see cref="Stabilize"/> and the rewrites that need functions only the kernels have (the runtime's
        /// vector Log1P): the span kernels compute the user's function stably where the user's own scalar
        /// arithmetic overflows, such as ln(1 + e^z) for z &gt; 88.7 in float. The scalar methods keep the
        /// user's spelling.
        /// </summary>
        public static Expr StabilizeForKernels(Expr expr) => ExprRewriter.Rewrite(Stabilize(expr), after: node => node switch
        {
            Call { Function: MathFunction.Log, Argument: Sum sum } log => LogOfExponentialSum(sum) ?? log,
            Product p => DominantExponentialRatio(p) ?? p,
            _ => node,
        });

        /// <summary>
        /// ln(c + b·e^w) with c, b &gt; 0 → ln c + softplus(w + ln(b/c)), softplus u = ln(1 + e^u) computed as
        /// max(u, 0) + ln1p(e^(−|u|)): e^w overflows for large w while the true value is about w; this form
        /// never overflows and keeps every digit of the small tail (softplus, and mish's inner softplus).
        /// </summary>
        private static Expr? LogOfExponentialSum(Sum sum)
        {
            if (!TrySplitExponentialSum(sum, out var c, out var b, out var w) || c is not Constant { Value: > 0 } cc || b is not Constant { Value: > 0 } bc)
            {
                return null;
            }

            var u = Algebra.Add(w, Algebra.Num(Math.Log(bc.Value / cc.Value)));
            return Algebra.Add(Algebra.Num(Math.Log(cc.Value)), Algebra.Apply(MathFunction.LogOnePlusExp, u));
        }

        /// <summary>
        /// N/D where D = Σ dᵢ·e^(aᵢ·w) (dᵢ &gt; 0, a constant term being a = 0) and N = Σ nⱼ·e^(bⱼ·w) with every bⱼ
        /// between the smallest and largest aᵢ: both divided by D's dominant exponential, e^(max a·w) where
        /// w ≥ 0 and e^(min a·w) below. Tanh written (e^z − e^(−z))/(e^z + e^(−z)) is ∞/∞ for |z| &gt; 88.7 in
        /// float; divided through it is (1 − e^(−2z))/(1 + e^(−2z)), whose exponentials can only underflow.
        /// </summary>
        private static Expr? DominantExponentialRatio(Product product)
        {
            var factors = product.Factors;
            int denominatorIndex = -1;
            for (int i = 0; i < factors.Count && denominatorIndex < 0; i++)
            {
                if (factors[i] is Power { Exponent: Constant { Value: -1 }, Base: Sum })
                {
                    denominatorIndex = i;
                }
            }

            if (denominatorIndex < 0)
            {
                return null;
            }

            var denominator = (Sum)((Power)factors[denominatorIndex]).Base;
            Expr? w = null;
            // D's terms must be known positive (a hyperparameter's sign is not known), so that D cannot cancel.
            if (!TryExponentialTerms(denominator.Terms, ref w, out var dTerms) || dTerms.Any(t => t.Coefficient <= 0 || !t.Factor.IsConstant(1)) || w is null)
            {
                return null;
            }

            Expr exponentBase = w; // the numerator's exponentials must be of the same w

            // The numerator: the one factor besides D that holds exponentials of w (a sum or a single term).
            var others = factors.Where((_, i) => i != denominatorIndex).ToList();
            int numeratorIndex = others.FindIndex(f => f.ContainsVariable && HasExponentialOf(f, w));
            var numeratorTerms = new List<(double Coefficient, Expr Factor, double Exponent)>();
            if (numeratorIndex >= 0)
            {
                var numerator = others[numeratorIndex];
                if (!TryExponentialTerms(numerator is Sum ns ? ns.Terms : new[] { numerator }, ref w, out numeratorTerms))
                {
                    return null;
                }

                others.RemoveAt(numeratorIndex);
            }
            else
            {
                numeratorTerms.Add((1, Constant.One, 0));
            }

            // Only where numerator and denominator overflow together (∞/∞): where only the denominator can, the
            // quotient just goes to 0, its true limit (z/(1 + e^(−z)) for z → −∞).
            double largest = dTerms.Max(t => t.Exponent);
            double smallest = dTerms.Min(t => t.Exponent);
            bool bothOverflowAbove = largest > 0 && numeratorTerms.Any(t => t.Exponent > 0);
            bool bothOverflowBelow = smallest < 0 && numeratorTerms.Any(t => t.Exponent < 0);
            if (!(bothOverflowAbove || bothOverflowBelow) || numeratorTerms.Any(t => t.Exponent > largest || t.Exponent < smallest) || others.Any(f => HasExponentialOf(f, w)))
            {
                return null;
            }

            Expr DividedBy(double a)
            {
                Expr Scaled(List<(double Coefficient, Expr Factor, double Exponent)> terms) => Algebra.Add(terms.Select(t =>
                    Algebra.Mul(new[] { Algebra.Num(t.Coefficient), t.Factor, Algebra.Exp(Algebra.Mul(Algebra.Num(t.Exponent - a), exponentBase)) })));
                return Algebra.Div(Scaled(numeratorTerms), Scaled(dTerms));
            }

            var ratio = Algebra.Piecewise(Algebra.Compare(CompareOp.GreaterOrEqual, exponentBase, Constant.Zero), DividedBy(largest), DividedBy(smallest));
            others.Add(ratio);
            return Algebra.Mul(others);
        }

        /// <summary>Splits terms into coefficient · rest · e^(a·w) (a = 0 for a term without e^w; rest free of the variable), all over one w.</summary>
        private static bool TryExponentialTerms(IEnumerable<Expr> terms, ref Expr? w, out List<(double Coefficient, Expr Factor, double Exponent)> split)
        {
            split = new List<(double, Expr, double)>();
            foreach (var term in terms)
            {
                var (coefficient, core) = Algebra.SplitCoefficient(term);
                var parts = core is Product p ? p.Factors.ToList() : new List<Expr> { core };
                int expIndex = parts.FindIndex(f => f is Call { Function: MathFunction.Exp, Argument: var argument } && argument.ContainsVariable);
                var rest = Algebra.Mul(parts.Where((_, i) => i != expIndex));
                if (rest.ContainsVariable)
                {
                    return false;
                }

                double exponent = 0;
                if (expIndex >= 0)
                {
                    var argument = ((Call)parts[expIndex]).Argument;
                    var (scale, argumentCore) = Algebra.SplitCoefficient(argument);
                    w ??= argumentCore;
                    if (!argumentCore.Equals(w))
                    {
                        return false;
                    }

                    exponent = scale;
                }

                split.Add((coefficient, rest, exponent));
            }

            return true;
        }

        private static bool HasExponentialOf(Expr e, Expr? w) =>
            ExprRewriter.Subexpressions(e).Any(n => n is Call { Function: MathFunction.Exp, Argument: var a } && a.ContainsVariable && (w is null || Algebra.SplitCoefficient(a).Core.Equals(w)));

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
