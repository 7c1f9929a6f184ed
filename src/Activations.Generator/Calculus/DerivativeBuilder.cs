using Activations.Generator.OutputForms;
using Activations.Generator.Simplification;

namespace Activations.Generator.Calculus
{
    /// <summary>
    /// The middle of the pipeline: differentiate, apply the kink convention, stabilise, and look for
    /// an output form. The input form stays the direct derivative wherever that is finite where the
    /// true derivative is, because composing with g costs accuracy where g is flat: σ′ = y·(1 − y) is
    /// 700 ULP off at z = 7 in float, where 1/((1 + e^z)(1 + e^(−z))) is within 2, and softplus′(−20)
    /// would round to 0 through y. Where the direct form overflows, G(g(z)) replaces it: on that side of 0
    /// only, when the other side is finite.
    /// </summary>
    internal static class DerivativeBuilder
    {
        private static readonly double[] StabilityProbes =
        {
            0.5, 1, 5, 10, 20, 50, 80, 88.5, 89, 100, 200, 500, 700, 709, 710, 750, 1000, 1e5,
        };

        public static DerivativeForms Build(Expr forward, ActivationLibrary library)
        {
            var raw = BranchPruner.Prune(KinkResolver.Resolve(Differentiator.Differentiate(forward)));
            return Forms(forward, raw, library);
        }

        /// <summary>
        /// g″: g′ as differentiated (a call to a callee becomes a call to its derivative), with the callees'
        /// derivatives replaced by their bodies, differentiated again; then the kink rule on the result (so g″
        /// at a kink of g′ is decided from g′'s one-sided slopes, as g′ is from g's), and the same stabilising
        /// rewrites and output-form search as g′ (σ″ = y(1 − 2y)(1 − y)). Null, with the callee whose
        /// derivative has no body here, where g″ cannot be formed.
        /// </summary>
        public static DerivativeForms? BuildSecond(Expr forward, ActivationLibrary library, out ActivationRef? missing) =>
            BuildSecond(forward, BranchPruner.Prune(Differentiator.Differentiate(forward)), library, out missing);

        /// <summary>g″ from a given g′ (one the user supplied): as <see cref="BuildSecond(Expr, ActivationLibrary, out ActivationRef?)"/> from there on.</summary>
        public static DerivativeForms? BuildSecond(Expr forward, Expr first, ActivationLibrary library, out ActivationRef? missing)
        {
            if (ActivationInliner.InlineDerivatives(first, library, out missing) is not { } differentiable)
            {
                return null;
            }

            var raw = BranchPruner.Prune(KinkResolver.Resolve(Differentiator.Differentiate(differentiable)));
            return Forms(forward, raw, library);
        }

        /// <summary>
        /// g′ where the user supplied it (<c>[Derivative(nameof(G))]</c>, and or with <c>FromOutput = true</c>): a supplied
        /// body in the subset gets the same stabilisation and output-form search as a derived one; a body outside it
        /// is called. A supplied from-output form replaces the one the search would find.
        /// </summary>
        /// <param name="forward">g.</param>
        /// <param name="supplied">What the user supplied.</param>
        /// <param name="self">The activation, for calls to the user's methods.</param>
        /// <param name="hyperparameters">The hyperparameters' names, passed on to those calls.</param>
        /// <param name="library">The callees.</param>
        public static DerivativeForms BuildSupplied(Expr forward, SuppliedOverride supplied, ActivationRef self, EquatableArray<string> hyperparameters, ActivationLibrary library)
        {
            Expr CallTo(string method) => Algebra.ActivationCall(self.WithDerivative(method), derivative: true,
                new[] { Algebra.Z }.Concat(hyperparameters.Select((name, i) => (Expr)new Parameter(i, name))));

            var forms = supplied.Derivative switch
            {
                null => Build(forward, library),
                { Body: { } body } => Forms(forward, body, library),
                { Name: var name } => new DerivativeForms(CallTo(name), null, InputFormUsesOutput: false),
            };

            return supplied.FromOutput is { } fromOutput
                ? forms with { OutputForm = fromOutput.Body ?? CallTo(fromOutput.Name) }
                : forms;
        }

        /// <summary>The stable input form of a derivative <paramref name="raw"/> of g, its output form, and which of them z's form uses.</summary>
        private static DerivativeForms Forms(Expr forward, Expr raw, ActivationLibrary library)
        {
            int parameterCount = ExprRewriter.Subexpressions(forward).OfType<Parameter>().Select(p => p.Index + 1).DefaultIfEmpty(0).Max();
            var stable = BranchPruner.Prune(Stabilizer.Stabilize(Simplifier.Tidy(raw, allowExpansion: false)));
            var output = OutputFormSolver.TrySolve(forward, raw, library, parameterCount) is { } solved ? BranchPruner.Prune(solved) : null;
            if (output is null)
            {
                return new DerivativeForms(stable, null, InputFormUsesOutput: false);
            }

            var composed = ExprRewriter.SubstituteVariable(output, forward);
            var (negative, positive) = OverflowsWhereComposedDoesNot(stable, composed, forward, library, parameterCount);
            if (negative && positive)
            {
                return new DerivativeForms(composed, output, InputFormUsesOutput: true);
            }

            // Overflow on one side only (σ″ = −e^(−z)(1 − e^(−z))/(1 + e^(−z))³ at z = −1000): G(g(z)) there, the
            // direct form on the other side, where G(g(z)) would round to 0 (y = 1 in float from z = 17 on).
            if (negative || positive)
            {
                var composedSide = Algebra.Compare(negative ? CompareOp.Less : CompareOp.Greater, Algebra.Z, Constant.Zero);
                return new DerivativeForms(Algebra.Piecewise(composedSide, composed, stable), output, InputFormUsesOutput: false);
            }

            return new DerivativeForms(stable, output, InputFormUsesOutput: false);
        }

        /// <summary>On which side of 0 the direct form overflows at a probe where g and G(g(z)) are finite, in float or double.</summary>
        private static (bool Negative, bool Positive) OverflowsWhereComposedDoesNot(Expr direct, Expr composed, Expr forward, ActivationLibrary library, int parameterCount)
        {
            var parameters = Enumerable.Repeat(1.0, parameterCount).ToArray();
            bool negative = false, positive = false;
            foreach (bool single in new[] { true, false })
            {
                var evaluator = new Evaluator(library, single);
                foreach (double magnitude in StabilityProbes)
                {
                    foreach (double z in new[] { magnitude, -magnitude })
                    {
                        if (IsFinite(evaluator.Evaluate(forward, z, parameters))
                            && IsFinite(evaluator.Evaluate(composed, z, parameters))
                            && !IsFinite(evaluator.Evaluate(direct, z, parameters)))
                        {
                            negative |= z < 0;
                            positive |= z > 0;
                        }
                    }
                }
            }

            return (negative, positive);
        }

        private static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);
    }
}
