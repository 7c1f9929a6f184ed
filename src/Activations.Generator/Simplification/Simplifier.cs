namespace Activations.Generator.Simplification
{
    /// <summary>
    /// General simplification beyond what <see cref="Algebra"/> does at construction: common denominators,
    /// multiplying out (bounded), pulling out common factors, and choosing the smallest result. Used for the
    /// derivative's input form and for output forms alike.
    /// </summary>
    internal static class Simplifier
    {
        /// <summary>Multiplying out stops past this many terms: beyond it the expanded form is never the smaller.</summary>
        private const int MaxExpandedTerms = 64;

        /// <summary>
        /// Chooses the smallest of an expression as it is, over a common denominator, and multiplied out
        /// with a common factor in front, or, for a polynomial with rational roots, as the product of its roots'
        /// factors. For output forms: (1/y − 1)·y² reads better as y·(1 − y), and y − 3y² + 2y³ is
        /// y·(1 − y)·(1 − 2y), which keeps its digits near the roots; for derivatives, 1/(1 + z) − z/(1 + z)² is 1/(1 + z)².
        /// </summary>
        public static Expr Tidy(Expr form, bool allowExpansion = true)
        {
            if (!allowExpansion)
            {
                // Multiplying a derivative out trades accuracy for size (GELU's would cancel); only merge fractions.
                var merged = Together(form);
                return Size(merged) < Size(form) ? merged : form;
            }

            if (IsPolynomialProduct(form))
            {
                // A polynomial in y with a rational root is best written as a product of its roots' factors.
                return Expand(form) is { } multipliedOut && RationalRoots.Factor(multipliedOut) is { } byRoots
                    ? PullContent(byRoots)
                    : PullContent(form);
            }

            var together = Together(form);
            var best = together;
            if (Expand(together) is { } expanded)
            {
                if (RationalRoots.Factor(expanded) is { } byRoots)
                {
                    return PullContent(byRoots);
                }

                var factored = PullContent(FactorCommon(expanded));
                if (Size(factored) <= Size(best))
                {
                    best = factored;
                }
            }

            return Size(best) <= Size(form) ? best : form;
        }

        private static bool IsPolynomialProduct(Expr e) =>
            !ExprRewriter.Contains(e, x => x is Call || x is ActivationCall || x is Power { Exponent: Constant { Value: < 0 } });

        /// <summary>a + b/c → (a·c + b)/c, bottom-up, so that nested fractions such as 1 + y/(1 − y) collapse.</summary>
        private static Expr Together(Expr e) => ExprRewriter.Rewrite(e, after: node =>
        {
            if (node is not Sum sum)
            {
                return node;
            }

            var denominators = new Dictionary<Expr, double>();
            foreach (var term in sum.Terms)
            {
                foreach (var factor in term is Product p ? p.Factors : new EquatableArray<Expr>(new[] { term }))
                {
                    if (factor is Power { Exponent: Constant { Value: < 0 } x } power && Algebra.IsInteger(x.Value))
                    {
                        denominators[power.Base] = Math.Max(denominators.TryGetValue(power.Base, out var known) ? known : 0, -x.Value);
                    }
                }
            }

            if (denominators.Count == 0)
            {
                return node;
            }

            var common = Algebra.Mul(denominators.Select(kv => Algebra.Pow(kv.Key, Algebra.Num(kv.Value))));
            var numerator = Expand(Algebra.Add(sum.Terms.Select(t => Algebra.Mul(t, common))));
            return numerator is null ? node : Algebra.Div(numerator, common);
        });

        /// <summary>(2 − 2y) → 2·(1 − y) inside a product, so that the 2 meets the product's coefficient.</summary>
        private static Expr PullContent(Expr e)
        {
            if (e is not Product product)
            {
                return e;
            }

            var factors = new List<Expr>();
            foreach (var factor in product.Factors)
            {
                if (factor is Sum { Terms: var terms } && terms[0] is Constant { Value: var content } && content != 0
                    && terms.All(t => Algebra.IsInteger((t is Constant c ? c.Value : Algebra.SplitCoefficient(t).Coefficient) / content)))
                {
                    factors.Add(Algebra.Num(content));
                    factors.Add(new Sum(terms.Select(t => Algebra.Mul(Algebra.Num(1 / content), t)).ToEquatableArray()));
                }
                else
                {
                    factors.Add(factor);
                }
            }

            return Algebra.Mul(factors);
        }

        private static int Size(Expr e) => ExprRewriter.Subexpressions(e).Count();

        /// <summary>Multiplies products of sums out; null when that would grow past a small bound.</summary>
        public static Expr? Expand(Expr e)
        {
            var terms = ExpandTerms(e);
            return terms is null ? null : Algebra.Add(terms);
        }

        private static List<Expr>? ExpandTerms(Expr e)
        {
            switch (e)
            {
                case Sum sum:
                {
                    var all = new List<Expr>();
                    foreach (var term in sum.Terms)
                    {
                        var part = ExpandTerms(term);
                        if (part is null)
                        {
                            return null;
                        }

                        all.AddRange(part);
                    }

                    return all.Count > MaxExpandedTerms ? null : all;
                }

                case Product product:
                {
                    var acc = new List<Expr> { Constant.One };
                    foreach (var factor in product.Factors)
                    {
                        var part = ExpandTerms(factor);
                        if (part is null || acc.Count * part.Count > MaxExpandedTerms)
                        {
                            return null;
                        }

                        acc = acc.SelectMany(a => part.Select(p => Algebra.Mul(a, p))).ToList();
                    }

                    return acc;
                }

                case Power { Base: Sum, Exponent: Constant { Value: >= 2 and <= 4 } n } power when Algebra.IsInteger(n.Value):
                    return ExpandTerms(new Product(Enumerable.Repeat(power.Base, (int)n.Value).ToEquatableArray()));
                default:
                    return new List<Expr> { e };
            }
        }

        /// <summary>a·yᵏ + b·yᵐ → y^min(k,m)·(…) for a power of y (or any base) common to every term.</summary>
        private static Expr FactorCommon(Expr e)
        {
            if (e is not Sum sum)
            {
                return e;
            }

            Dictionary<Expr, double>? common = null;
            foreach (var term in sum.Terms)
            {
                var powers = new Dictionary<Expr, double>();
                foreach (var factor in term is Product p ? p.Factors : new Model.EquatableArray<Expr>(new[] { term }))
                {
                    if (factor is Constant)
                    {
                        continue;
                    }

                    var (b, x) = factor is Power { Exponent: Constant c } pw ? (pw.Base, c.Value) : (factor, 1.0);
                    powers[b] = x;
                }

                common = common is null
                    ? powers.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value)
                    : common.Where(kv => powers.ContainsKey(kv.Key) && powers[kv.Key] > 0)
                            .ToDictionary(kv => kv.Key, kv => Math.Min(kv.Value, powers[kv.Key]));
            }

            if (common is null || common.Count == 0)
            {
                return e;
            }

            var factorOut = Algebra.Mul(common.Select(kv => Algebra.Pow(kv.Key, Algebra.Num(kv.Value))));
            var inner = Algebra.Add(sum.Terms.Select(t => Algebra.Div(t, factorOut)));
            return new Product(new Model.EquatableArray<Expr>(new[] { factorOut, inner }.OrderBy(x => x, ExprOrder.Instance)));
        }
    }
}
