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
        public static Expr? Inline(Expr expr, ActivationLibrary library) => Inline(expr, library, derivativesOnly: false, out _);

        /// <summary>
        /// Replaces the calls to callees' derivatives only (the form g″ is differentiated from: a call to a
        /// callee itself differentiates into a call to its derivative, a call to a derivative needs its body).
        /// </summary>
        public static Expr? InlineDerivatives(Expr expr, ActivationLibrary library, out ActivationRef? missing) =>
            Inline(expr, library, derivativesOnly: true, out missing);

        private static Expr? Inline(Expr expr, ActivationLibrary library, bool derivativesOnly, out ActivationRef? missing)
        {
            missing = null;
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                if (!ExprRewriter.Contains(expr, e => e is ActivationCall call && (call.Derivative || !derivativesOnly)))
                {
                    return expr;
                }

                ActivationRef? unknown = null;
                expr = ExprRewriter.Rewrite(expr, node =>
                {
                    if (node is not ActivationCall call || (derivativesOnly && !call.Derivative))
                    {
                        return null;
                    }

                    if (!library.TryGetBody(call, out var body))
                    {
                        unknown ??= call.Target;
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

                if (unknown is not null)
                {
                    missing = unknown;
                    return null;
                }
            }

            return null;
        }
    }
}
