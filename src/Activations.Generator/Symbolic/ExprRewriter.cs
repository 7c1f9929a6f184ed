namespace Activations.Generator.Symbolic
{
    /// <summary>Bottom-up rewriting: children first, then the node is rebuilt through <see cref="Algebra"/>.</summary>
    internal static class ExprRewriter
    {
        /// <summary>
        /// Rewrites <paramref name="expr"/>: <paramref name="replace"/> may replace a node outright (its
        /// children are then not visited); otherwise the node is rebuilt from rewritten children and
        /// passed through <paramref name="after"/>.
        /// </summary>
        public static Expr Rewrite(Expr expr, Func<Expr, Expr?>? replace = null, Func<Expr, Expr>? after = null)
        {
            var memo = new Dictionary<Expr, Expr>();
            return Visit(expr);

            Expr Visit(Expr node)
            {
                if (memo.TryGetValue(node, out var done))
                {
                    return done;
                }

                var replaced = replace?.Invoke(node);
                Expr result;
                if (replaced is not null)
                {
                    result = replaced;
                }
                else
                {
                    var children = node.Children;
                    var rewritten = children.Select(Visit).ToList();
                    bool changed = !children.SequenceEqual(rewritten);
                    result = changed ? Rebuild(node, rewritten) : node;
                    if (after is not null)
                    {
                        result = after(result);
                    }
                }

                memo[node] = result;
                return result;
            }
        }

        /// <summary>Replaces every occurrence of <paramref name="target"/> by <paramref name="replacement"/>.</summary>
        public static Expr Substitute(Expr expr, Expr target, Expr replacement) =>
            Rewrite(expr, node => node.Equals(target) ? replacement : null);

        public static Expr SubstituteVariable(Expr expr, Expr replacement) => Substitute(expr, Variable.Instance, replacement);

        public static Expr Rebuild(Expr node, IReadOnlyList<Expr> children)
        {
            switch (node)
            {
                case Power:
                    return Algebra.Pow(children[0], children[1]);
                case Product:
                    return Algebra.Mul(children);
                case Sum:
                    return Algebra.Add(children);
                case Call call:
                    return Algebra.Apply(call.Function, children[0]);
                case ActivationCall activation:
                    return Algebra.ActivationCall(activation.Target, activation.Derivative, children);
                case Piecewise piecewise:
                    int n = piecewise.BranchCount;
                    var branches = Enumerable.Range(0, n).Select(i => (children[i], children[n + i])).ToList();
                    return Algebra.Piecewise(branches, children[2 * n]);
                case Comparison comparison:
                    return Algebra.Compare(comparison.Op, children[0], children[1]);
                case Logic { Op: LogicOp.Not }:
                    return Algebra.Not(children[0]);
                case Logic logic:
                    return Algebra.Logic(logic.Op, children);
                default:
                    return node;
            }
        }

        /// <summary>Every distinct subexpression, children before parents.</summary>
        public static IEnumerable<Expr> Subexpressions(Expr expr)
        {
            var seen = new HashSet<Expr>();
            var order = new List<Expr>();
            Walk(expr);
            return order;

            void Walk(Expr node)
            {
                if (!seen.Add(node))
                {
                    return;
                }

                foreach (var child in node.Children)
                {
                    Walk(child);
                }

                order.Add(node);
            }
        }

        public static bool Contains(Expr expr, Func<Expr, bool> predicate) => Subexpressions(expr).Any(predicate);
    }
}
