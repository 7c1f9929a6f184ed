using Activations.Generator.OutputForms;
using Activations.Generator.Simplification;

namespace Activations.Generator.Calculus
{
    /// <summary>
    /// ∂g/∂p for a learnable parameter or a second input p. The differentiator, the kink rule and the stabiliser all
    /// work on the variable, so p and z trade places, g is differentiated as for g′, and they trade back: every rule
    /// g′ gets (the Clarke minimum-norm convention at a kink in p included) holds for ∂g/∂p with no second copy.
    /// </summary>
    internal static class PartialDerivatives
    {
        /// <summary>∂g/∂p, or null with the reason where it cannot be formed.</summary>
        /// <param name="forward">g.</param>
        /// <param name="index">p's <see cref="Parameter.Index"/>.</param>
        /// <param name="name">p's name.</param>
        /// <param name="library">The callees, for the output-form search.</param>
        /// <param name="problem">Why there is no result.</param>
        public static PartialDerivative? Build(Expr forward, int index, string name, ParameterRole role, ActivationLibrary library, out string? problem)
        {
            // A call passes only its first argument through the chain rule; the others are the callee's hyperparameters.
            var passedOn = ExprRewriter.Subexpressions(forward).OfType<ActivationCall>()
                .FirstOrDefault(call => call.Arguments.Skip(1).Any(a => ExprRewriter.Contains(a, e => e is Parameter q && q.Index == index)));
            if (passedOn is not null)
            {
                problem = $"'{name}' is passed to '{passedOn.Target.Name}' as one of its hyperparameters, which have no derivative";
                return null;
            }

            problem = null;
            var p = new Parameter(index, name);
            Expr Swap(Expr e) => ExprRewriter.Rewrite(e, node => node switch
            {
                Variable => p,
                Parameter q when q.Index == index => Algebra.Z,
                _ => null,
            });

            var raw = BranchPruner.Prune(KinkResolver.Resolve(Differentiator.Differentiate(Swap(forward))));
            var stable = BranchPruner.Prune(Stabilizer.Stabilize(Simplifier.Tidy(raw, allowExpansion: false)));
            int parameterCount = ExprRewriter.Subexpressions(forward).OfType<Parameter>().Select(q => q.Index + 1).DefaultIfEmpty(0).Max();
            var output = OutputFormSolver.TrySolve(forward, Swap(raw), library, parameterCount);
            return new PartialDerivative(index, name, role, BranchPruner.Prune(Swap(stable)))
            {
                OutputForm = output is null ? null : BranchPruner.Prune(output),
            };
        }
    }
}
