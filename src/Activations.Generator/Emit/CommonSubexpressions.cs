namespace Activations.Generator.Emit
{
    /// <summary>Finds the subexpressions worth computing once (e^(−z) in a sigmoid's derivative) and names them.</summary>
    internal static class CommonSubexpressions
    {
        /// <summary>
        /// Non-trivial subexpressions used twice or more, at least once where they are evaluated anyway (not
        /// only inside a branch of a nested ?:, which runs lazily), innermost first. A nested chain can itself
        /// be one: a local that is a ?: used by the next lines, as the user's own locals often are. Of a chain
        /// written as an if/return ladder, this finds what its first condition shares with its branches.
        /// </summary>
        public static List<Expr> Find(Expr expr)
        {
            var counts = new Dictionary<Expr, int>();
            Count(expr);
            var eager = new HashSet<Expr>();
            MarkEvaluated(expr);
            return ExprRewriter.Subexpressions(expr).Where(e => counts[e] >= 2 && eager.Contains(e) && IsWorthALocal(e)).ToList();

            void Count(Expr node)
            {
                counts.TryGetValue(node, out int seen);
                counts[node] = seen + 1;
                if (seen > 0)
                {
                    return; // its children were counted on the first visit
                }

                foreach (var child in node.Children)
                {
                    Count(child);
                }

                // A squared or cubed base is written out as b * b, so it counts as used twice.
                if (node is Power { Exponent: Constant { Value: 2 or 3 or -2 or -3 } } power && IsWorthALocal(power.Base))
                {
                    counts[power.Base]++;
                }
            }

            void MarkEvaluated(Expr node)
            {
                if (!eager.Add(node))
                {
                    return;
                }

                // Of a ?: chain only the first condition always runs, and whatever every branch computes;
                // of && and || only the first operand.
                var children = node.Children;
                int evaluated = node is Piecewise or Logic ? System.Math.Min(1, children.Count) : children.Count;
                for (int i = 0; i < evaluated; i++)
                {
                    MarkEvaluated(children[i]);
                }

                if (node is Piecewise piecewise)
                {
                    var inEveryBranch = new HashSet<Expr>(ExprRewriter.Subexpressions(piecewise.Otherwise));
                    foreach (var value in piecewise.Values)
                    {
                        inEveryBranch.IntersectWith(ExprRewriter.Subexpressions(value));
                    }

                    foreach (var shared in inEveryBranch)
                    {
                        MarkEvaluated(shared);
                    }
                }
            }
        }

        /// <summary>Gives each hoisted expression a name after what it computes: exp, tanh, sum, …</summary>
        public static IEnumerable<(Expr Expr, string Name)> Name(List<Expr> hoisted, HashSet<string> reserved)
        {
            var prefixes = hoisted.Select(Prefix).ToList();
            var used = new Dictionary<string, int>();
            for (int i = 0; i < hoisted.Count; i++)
            {
                string prefix = prefixes[i];
                bool several = prefixes.Count(p => p == prefix) > 1;
                used.TryGetValue(prefix, out int index);
                used[prefix] = index + 1;
                string name = several ? prefix + index : prefix;
                while (!reserved.Add(name))
                {
                    name += "_";
                }

                yield return (hoisted[i], name);
            }
        }

        private static bool IsWorthALocal(Expr e) =>
            e is not (Constant or Variable or Parameter or BoolConstant)
            && !(e is Product { Factors.Count: 2 } p && p.Factors[0] is Constant && p.Factors[1] is Variable or Parameter);

        private static string LowerFirst(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

        private static string Prefix(Expr e) => e switch
        {
            Call call => call.Function.ToString().ToLowerInvariant(),
            ActivationCall a => LowerFirst(a.Derivative ? a.Target.DerivativeName : a.Target.Name),
            Power { Exponent: Constant { Value: 0.5 } } => "sqrt",
            Power => "power",
            Sum => "sum",
            Product => "product",
            Comparison or Logic => "condition",
            _ => "t",
        };
    }
}
