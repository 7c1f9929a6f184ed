using System.Collections.Generic;
using Activations.Generator.Calculus;

namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// The forward expressions of the activations that an expression calls (transitively), so that
    /// evaluation and derivation can look through <see cref="ActivationCall"/> nodes.
    /// </summary>
    internal sealed class ActivationLibrary
    {
        public static readonly ActivationLibrary Empty = new(new Dictionary<string, Expr>());

        private readonly IReadOnlyDictionary<string, Expr> forwards;
        private readonly Dictionary<string, Expr> derivatives = new();

        public ActivationLibrary(IReadOnlyDictionary<string, Expr> forwards) => this.forwards = forwards;

        public bool TryGetForward(ActivationRef target, out Expr forward) => forwards.TryGetValue(target.Key, out forward!);

        /// <summary>The body a call stands for: the callee's forward expression, or its derivative's.</summary>
        public bool TryGetBody(ActivationCall call, out Expr body) =>
            call.Derivative ? TryGetDerivative(call.Target, out body) : TryGetForward(call.Target, out body);

        /// <summary>The callee's derivative as its generated <c>NameDerivative</c> computes it.</summary>
        public bool TryGetDerivative(ActivationRef target, out Expr derivative)
        {
            if (derivatives.TryGetValue(target.Key, out derivative!))
            {
                return true;
            }

            if (!TryGetForward(target, out var forward))
            {
                return false;
            }

            derivative = DerivativeBuilder.Build(forward, this).InputForm;
            derivatives[target.Key] = derivative;
            return true;
        }
    }
}
