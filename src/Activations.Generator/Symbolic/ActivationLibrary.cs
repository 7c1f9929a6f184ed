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
        private readonly IReadOnlyDictionary<string, Expr?> supplied;
        private readonly Dictionary<string, Expr> derivatives = new();

        /// <param name="forwards">The callees' bodies by key.</param>
        /// <param name="supplied">
        /// The derivatives users supplied (<c>[Derivative]</c>) by key: used instead of deriving one from the body;
        /// a null value is a supplied derivative whose body is outside the subset, which has no expression here.
        /// </param>
        public ActivationLibrary(IReadOnlyDictionary<string, Expr> forwards, IReadOnlyDictionary<string, Expr?>? supplied = null)
        {
            this.forwards = forwards;
            this.supplied = supplied ?? new Dictionary<string, Expr?>();
        }

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

            if (supplied.TryGetValue(target.Key, out var user))
            {
                derivative = user!;
                return user is not null;
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
