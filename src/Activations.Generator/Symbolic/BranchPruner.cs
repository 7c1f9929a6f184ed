namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Removes branches that the conditions around them make unreachable, and decides conditions they make
    /// certain: inside the branch <c>z ≥ 0</c>, a nested <c>z &lt; 0 ? a : b</c> is <c>b</c>. Without this,
    /// stable rewrites that split on the sign of z (softplus as max(z, 0) + log(1 + e^−|z|)) emit
    /// <c>if (z &gt;= 0f) { if (z &lt; 0f) … }</c>, and nested Abs/Max inside polynomials multiply such dead
    /// branches at every level. Only conditions of the form <c>z op k</c> with a constant k are reasoned
    /// about; anything else is kept as written.
    /// </summary>
    internal static class BranchPruner
    {
        public static Expr Prune(Expr expr)
        {
            if (!ExprRewriter.Contains(expr, e => e is Piecewise))
            {
                return expr;
            }

            var memo = new Dictionary<(Expr, ZRange), Expr>();
            return Visit(expr, ZRange.All);

            Expr Visit(Expr node, ZRange range)
            {
                if (node.Children.Count == 0)
                {
                    return node;
                }

                if (memo.TryGetValue((node, range), out var done))
                {
                    return done;
                }

                Expr result;
                if (node is Piecewise piecewise)
                {
                    result = VisitPiecewise(piecewise, range);
                }
                else if (node is Comparison or Logic && range.Decide(node) is bool known)
                {
                    result = Algebra.Bool(known);
                }
                else
                {
                    var children = node.Children;
                    var rewritten = children.Select(c => Visit(c, range)).ToList();
                    result = children.SequenceEqual(rewritten) ? node : ExprRewriter.Rebuild(node, rewritten);
                }

                memo[(node, range)] = result;
                return result;
            }

            Expr VisitPiecewise(Piecewise piecewise, ZRange range)
            {
                // Branch i is taken where its condition holds and none before it did.
                var (reached, last) = range.Reach(piecewise.Branches, piecewise.Otherwise);
                return Algebra.Piecewise(
                    reached.Select(b => (Visit(b.Condition, b.Before), Visit(b.Value, b.Inside))).ToList(),
                    Visit(last.Value, last.Inside));
            }
        }
    }
}
