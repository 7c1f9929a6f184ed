namespace Activations.Generator.Calculus
{
    /// <summary>
    /// d/dz by the rules of calculus. Piecewise values are differentiated branch by branch with the
    /// conditions kept (the one-sided derivative as written; <see cref="KinkResolver"/> then applies
    /// the kink convention). A call to another activation becomes a call to its generated derivative.
    /// </summary>
    internal static class Differentiator
    {
        public static Expr Differentiate(Expr e)
        {
            var memo = new Dictionary<Expr, Expr>();
            return D(e);

            Expr D(Expr node)
            {
                if (!node.ContainsVariable)
                {
                    return Constant.Zero;
                }

                if (memo.TryGetValue(node, out var known))
                {
                    return known;
                }

                var result = node switch
                {
                    Variable => Constant.One,
                    Sum sum => Algebra.Add(sum.Terms.Select(D)),
                    Product product => ProductRule(product, D),
                    Power power => PowerRule(power, D),
                    Call call => Algebra.Mul(Outer(call), D(call.Argument)),
                    ActivationCall { Derivative: true } => throw new InvalidOperationException(
                        "A call to a derivative is differentiated through its body: inline it first (DerivativeBuilder.BuildSecond)"),
                    ActivationCall activation => Algebra.Mul(
                        Algebra.ActivationCall(activation.Target, derivative: true, activation.Arguments),
                        D(activation.Arguments[0])),
                    Piecewise piecewise => Algebra.Piecewise(
                        piecewise.Branches.Select(b => (b.Condition, D(b.Value))).ToList(),
                        D(piecewise.Otherwise)),
                    _ => throw new InvalidOperationException("Cannot differentiate a " + node.GetType().Name),
                };
                memo[node] = result;
                return result;
            }
        }

        private static Expr ProductRule(Product product, Func<Expr, Expr> d)
        {
            var factors = product.Factors;
            var terms = new List<Expr>();
            for (int i = 0; i < factors.Count; i++)
            {
                if (!factors[i].ContainsVariable)
                {
                    continue;
                }

                var others = factors.Where((_, j) => j != i);
                terms.Add(Algebra.Mul(others.Concat(new[] { d(factors[i]) })));
            }

            return Algebra.Add(terms);
        }

        private static Expr PowerRule(Power power, Func<Expr, Expr> d)
        {
            var (b, e) = (power.Base, power.Exponent);
            if (!e.ContainsVariable)
            {
                // (b^e)′ = e·b^(e−1)·b′
                return Algebra.Mul(new[] { e, Algebra.Pow(b, Algebra.Sub(e, Constant.One)), d(b) });
            }

            // (b^e)′ = b^e·(e′·ln b + e·b′/b)
            var logarithmic = Algebra.Add(
                Algebra.Mul(d(e), Algebra.Log(b)),
                Algebra.Mul(new[] { e, d(b), Algebra.Reciprocal(b) }));
            return Algebra.Mul(power, logarithmic);
        }

        /// <summary>f′ at the call's argument, for the chain rule.</summary>
        private static Expr Outer(Call call) => MathFunctions.Of(call.Function).Derivative(call);
    }
}
