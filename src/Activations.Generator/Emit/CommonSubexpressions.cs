using System.Collections.Generic;
using System.Linq;
using Activations.Generator.Symbolic;

namespace Activations.Generator.Emit
{
    /// <summary>Finds the subexpressions worth computing once (e^(−z) in a sigmoid's derivative) and names them.</summary>
    internal static class CommonSubexpressions
    {
        /// <summary>Repeated non-trivial subexpressions outside nested conditionals, innermost first.</summary>
        public static List<Expr> Find(Expr expr)
        {
            if (expr is Piecewise)
            {
                return new List<Expr>(); // each branch is hoisted on its own
            }

            var counts = new Dictionary<Expr, int>();
            Count(expr);
            return ExprRewriter.Subexpressions(expr).Where(e => counts.TryGetValue(e, out int n) && n >= 2 && IsWorthALocal(e)).ToList();

            void Count(Expr node)
            {
                if (node is Comparison || node is Logic || node is Piecewise)
                {
                    return; // values inside ?: are evaluated lazily; do not hoist them out
                }

                counts.TryGetValue(node, out int seen);
                counts[node] = seen + 1;
                if (seen > 0)
                {
                    return; // its children were counted on the first visit
                }

                // A squared or cubed base is written out as b * b, so it counts as used twice.
                if (node is Power { Exponent: Constant { Value: 2 or 3 or -2 or -3 } } power && IsWorthALocal(power.Base))
                {
                    counts.TryGetValue(power.Base, out int baseSeen);
                    counts[power.Base] = baseSeen + 1;
                }

                foreach (var child in node.Children)
                {
                    Count(child);
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

        private static string Prefix(Expr e) => e switch
        {
            Call call => call.Function.ToString().ToLowerInvariant(),
            ActivationCall a => char.ToLowerInvariant(a.Target.Name[0]) + a.Target.Name.Substring(1) + (a.Derivative ? "Derivative" : string.Empty),
            Power { Exponent: Constant { Value: 0.5 } } => "sqrt",
            Power => "power",
            Sum => "sum",
            Product => "product",
            _ => "t",
        };
    }
}
