using System.Linq;

namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Replaces calls to other activations by their bodies (or their derivatives' bodies), so that a
    /// vector kernel of swish computes the sigmoid inline instead of calling a scalar method per lane.
    /// </summary>
    internal static class ActivationInliner
    {
        private const int MaxDepth = 16;

        /// <summary>The expression without activation calls, or null when a callee's body is not known here.</summary>
        public static Expr? Inline(Expr expr, ActivationLibrary library)
        {
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                if (!ExprRewriter.Contains(expr, e => e is ActivationCall))
                {
                    return expr;
                }

                bool missing = false;
                expr = ExprRewriter.Rewrite(expr, node =>
                {
                    if (node is not ActivationCall call)
                    {
                        return null;
                    }

                    if (!library.TryGetBody(call, out var body))
                    {
                        missing = true;
                        return node;
                    }

                    var arguments = call.Arguments;
                    return ExprRewriter.Rewrite(body, inner => inner switch
                    {
                        Variable => arguments[0],
                        Parameter p when p.Index >= 0 && p.Index + 1 < arguments.Count => arguments[p.Index + 1],
                        _ => null,
                    });
                });

                if (missing)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
