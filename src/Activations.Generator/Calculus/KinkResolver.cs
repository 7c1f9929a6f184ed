namespace Activations.Generator.Calculus
{
    /// <summary>
    /// Applies the kink convention to a piecewise derivative: at a breakpoint z = k, g′(k) is the
    /// smallest-magnitude element of the Clarke subdifferential [min(L, R), max(L, R)], where L and R
    /// are the one-sided limits of g′: 0 if they differ in sign, else the one nearer zero. The choice
    /// depends on the function only, never on how its branches were spelled.
    /// </summary>
    internal static class KinkResolver
    {
        /// <summary>The breakpoints k of every condition <c>z op k</c> in the expression.</summary>
        public static IReadOnlyList<Expr> Breakpoints(Expr expr) =>
            ExprRewriter.Subexpressions(expr)
                .OfType<Comparison>()
                .Where(c => c.Left is Variable && !c.Right.ContainsVariable)
                .Select(c => c.Right)
                .Distinct()
                .OrderBy(k => k, ExprOrder.Instance)
                .ToList();

        public static Expr Resolve(Expr derivative)
        {
            foreach (var k in Breakpoints(derivative))
            {
                var left = ValueNear(derivative, k, side: -1);
                var right = ValueNear(derivative, k, side: +1);
                if (left is null || right is null)
                {
                    continue;
                }

                // Where the one-sided slopes agree the function is differentiable at k, however it was spelled
                // (sign(x)·y(|x|) has a branch for x = 0 alone whose slope is not the function's).
                var choice = Agree(left, right) ? left : SmallestMagnitude(left, right);
                if (choice.Equals(ValueNear(derivative, k, side: 0)))
                {
                    continue;
                }

                // Prefer moving the point into the branch that already has the right value (z < k → z ≤ k).
                var flipped = FlipStrictness(derivative, k);
                if (choice.Equals(ValueNear(flipped, k, side: 0)))
                {
                    derivative = flipped;
                    continue;
                }

                derivative = Algebra.Piecewise(Algebra.Compare(CompareOp.Equal, Algebra.Z, k), choice, derivative);
            }

            return derivative;
        }

        /// <summary>
        /// The value of <paramref name="expr"/> at z = k, with each condition <c>z op k</c> decided as at
        /// k − ε (side −1), k + ε (side +1) or k itself (side 0); the branch values are taken at k.
        /// Null when a condition cannot be decided.
        /// </summary>
        public static Expr? ValueNear(Expr expr, Expr k, int side)
        {
            bool undecided = false;
            var result = ExprRewriter.Rewrite(expr, node =>
            {
                switch (node)
                {
                    case Variable:
                        return k;
                    case Comparison { Left: Variable } c when !c.Right.ContainsVariable:
                        var gap = Algebra.Sub(k, c.Right);
                        if (gap is Constant g)
                        {
                            return Algebra.Bool(Algebra.Holds(c.Op, g.Value == 0 ? side : g.Value, 0));
                        }

                        undecided = true;
                        return node;
                    case Comparison c:
                        var at = ExprRewriter.SubstituteVariable(Algebra.Sub(c.Left, c.Right), k);
                        if (at is Constant d && d.Value != 0)
                        {
                            return Algebra.Bool(Algebra.Holds(c.Op, d.Value, 0));
                        }

                        undecided |= c.ContainsVariable;
                        return c.ContainsVariable ? node : null;
                    default:
                        return null;
                }
            });

            return undecided || result.ContainsVariable || ExprRewriter.Contains(result, e => e is Piecewise) ? null : result;
        }

        /// <summary>Equal slopes, or constants equal to rounding (the two sides fold their constants in different orders).</summary>
        private static bool Agree(Expr left, Expr right) =>
            left.Equals(right)
            || (left is Constant l && right is Constant r && System.Math.Abs(l.Value - r.Value) <= 1e-12 * System.Math.Max(1, System.Math.Abs(l.Value)));

        /// <summary>The Clarke choice between one-sided slopes: 0 across a sign change, else the smaller magnitude.</summary>
        public static Expr SmallestMagnitude(Expr left, Expr right)
        {
            if (left is Constant l && right is Constant r)
            {
                if (l.Value * r.Value <= 0)
                {
                    return Constant.Zero;
                }

                return System.Math.Abs(l.Value) <= System.Math.Abs(r.Value) ? left : right;
            }

            // Slopes that depend on hyperparameters: emit the choice as code.
            return Algebra.Piecewise(
                new[]
                {
                    (Algebra.Compare(CompareOp.LessOrEqual, Algebra.Mul(left, right), Constant.Zero), (Expr)Constant.Zero),
                    (Algebra.Compare(CompareOp.LessOrEqual, Algebra.Mul(left, left), Algebra.Mul(right, right)), left),
                },
                right);
        }

        /// <summary>Resolves every condition at z = <paramref name="point"/>, keeping z symbolic in the values.</summary>
        public static Expr? SelectBranches(Expr expr, double point)
        {
            var evaluator = new Evaluator(ActivationLibrary.Empty);
            bool failed = false;
            var result = ExprRewriter.Rewrite(expr, node =>
            {
                if (node is Comparison || node is Logic)
                {
                    if (ExprRewriter.Contains(node, e => e is Parameter || e is ActivationCall))
                    {
                        failed = true;
                        return node;
                    }

                    return Algebra.Bool(evaluator.Evaluate(node, point, Array.Empty<double>()) != 0);
                }

                return null;
            });
            return failed || ExprRewriter.Contains(result, e => e is Piecewise) ? null : result;
        }

        private static Expr FlipStrictness(Expr expr, Expr k) => ExprRewriter.Rewrite(expr, node =>
            node is Comparison { Left: Variable } c && c.Right.Equals(k)
                ? new Comparison(
                    c.Op switch
                    {
                        CompareOp.Less => CompareOp.LessOrEqual,
                        CompareOp.LessOrEqual => CompareOp.Less,
                        CompareOp.Greater => CompareOp.GreaterOrEqual,
                        CompareOp.GreaterOrEqual => CompareOp.Greater,
                        _ => c.Op,
                    },
                    c.Left,
                    c.Right)
                : null);
    }
}
