using System;
using System.Linq;
using Activations.Generator.OutputForms;
using Activations.Generator.Simplification;
using Activations.Generator.Symbolic;

namespace Activations.Generator.Calculus
{
    /// <summary>The derivative of one activation, in the forms the emitter writes.</summary>
    internal sealed class DerivativeForms
    {
        public DerivativeForms(Expr inputForm, Expr? outputForm, bool inputFormUsesOutput)
        {
            InputForm = inputForm;
            OutputForm = outputForm;
            InputFormUsesOutput = inputFormUsesOutput;
        }

        /// <summary>g′(z) as a function of z. When <see cref="InputFormUsesOutput"/>, this is G(g(z)) inlined.</summary>
        public Expr InputForm { get; }

        /// <summary>G with g′(z) = G(g(z)), as a function of y (the <see cref="Variable"/>); null when none is exact.</summary>
        public Expr? OutputForm { get; }

        /// <summary>True when the direct derivative overflows where G(g(z)) does not, so z's form calls the output form.</summary>
        public bool InputFormUsesOutput { get; }
    }

    /// <summary>
    /// The middle of the pipeline: differentiate, apply the kink convention, stabilise, and look for
    /// an output form. The input form stays the direct derivative wherever that is finite where the
    /// true derivative is, because composing with g costs accuracy where g is flat: σ′ = y·(1 − y) is
    /// 700 ULP off at z = 7 in float, where 1/((1 + e^z)(1 + e^(−z))) is within 2, and softplus′(−20)
    /// would round to 0 through y. Where the direct form overflows, G(g(z)) replaces it.
    /// </summary>
    internal static class DerivativeBuilder
    {
        private static readonly double[] StabilityProbes =
        {
            0.5, 1, 5, 10, 20, 50, 80, 88.5, 89, 100, 200, 500, 700, 709, 710, 750, 1000, 1e5,
        };

        public static DerivativeForms Build(Expr forward, ActivationLibrary library)
        {
            int parameterCount = ExprRewriter.Subexpressions(forward).OfType<Parameter>().Select(p => p.Index + 1).DefaultIfEmpty(0).Max();
            var raw = BranchPruner.Prune(KinkResolver.Resolve(Differentiator.Differentiate(forward)));
            var stable = BranchPruner.Prune(Stabilizer.Stabilize(Simplifier.Tidy(raw, allowExpansion: false)));
            var output = OutputFormSolver.TrySolve(forward, raw, library, parameterCount) is { } solved ? BranchPruner.Prune(solved) : null;
            if (output is null)
            {
                return new DerivativeForms(stable, null, inputFormUsesOutput: false);
            }

            var composed = ExprRewriter.SubstituteVariable(output, forward);
            bool overflows = OverflowsWhereComposedDoesNot(stable, composed, forward, library, parameterCount);
            return overflows
                ? new DerivativeForms(composed, output, inputFormUsesOutput: true)
                : new DerivativeForms(stable, output, inputFormUsesOutput: false);
        }

        private static bool OverflowsWhereComposedDoesNot(Expr direct, Expr composed, Expr forward, ActivationLibrary library, int parameterCount)
        {
            var parameters = Enumerable.Repeat(1.0, parameterCount).ToArray();
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
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);
    }
}
