using System.Globalization;
using Activations.Generator.Calculus;
using Activations.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Activations.Generator.Analysis
{
    /// <summary>
    /// The checks on a method marked <c>[Derivative(nameof(F))]</c>: that it names a function it can differentiate
    /// (ACT114), and, where both bodies can be evaluated at compile time, that it agrees with central differences
    /// of F (ACT004).
    /// </summary>
    internal static class SuppliedDerivativeCheck
    {
        /// <summary>Where the derivative is compared: away from the usual breakpoints (0, ±1, ±3, 6), both signs, a few scales.</summary>
        private static readonly double[] Probes = { -4.1, -2.3, -0.7, -0.15, 0.35, 1.6, 2.7, 5.3 };

        /// <summary>What is wrong with the declaration (ACT114's message), or null where it is a usable supplied derivative.</summary>
        public static string? Problem(IMethodSymbol derivative, string of, bool fromOutput)
        {
            var candidates = derivative.ContainingType.GetMembers(of).OfType<IMethodSymbol>().ToList();
            string signature = $"({string.Join(", ", derivative.Parameters.Select(p => p.Type.ToDisplayString()))})";
            if (candidates.Count == 0)
            {
                return $"'{derivative.ContainingType.Name}' has no method '{of}'";
            }

            var function = candidates.FirstOrDefault(c => SuppliedDerivatives.Matches(derivative, c));
            if (function is null)
            {
                return $"'{derivative.Name}' must be static, not generic, and take and return what '{of}' does; no '{of}{signature}' returning {derivative.ReturnType.ToDisplayString()} was found";
            }

            bool isActivation = function.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ActivationParser.AttributeMetadataName);
            if (fromOutput && !isActivation)
            {
                return $"FromOutput = true is for [Activation] methods, and '{of}' is not one";
            }

            if (!isActivation && !SuppliedDerivatives.IsHelperShape(function))
            {
                return $"'{of}' must be a static method of float or double parameters returning the same type";
            }

            var first = SuppliedDerivatives.Find(function, fromOutput);
            if (first is not null && !SymbolEqualityComparer.Default.Equals(first, derivative))
            {
                return $"'{first.Name}' already supplies the {(fromOutput ? "from-output " : string.Empty)}derivative of '{of}'; only one is used";
            }

            return null;
        }

        /// <summary>
        /// The points where the supplied derivative and a central difference of the function disagree, as ACT004 lists
        /// them; empty where they agree or where either body cannot be evaluated here.
        /// </summary>
        public static IReadOnlyList<string> Disagreements(IMethodSymbol derivative, string of, bool fromOutput, Compilation compilation, CancellationToken cancellationToken)
        {
            var function = derivative.ContainingType.GetMembers(of).OfType<IMethodSymbol>().FirstOrDefault(c => SuppliedDerivatives.Matches(derivative, c));
            if (function is null)
            {
                return Array.Empty<string>();
            }

            var (forward, forwardHelpers) = ActivationParser.ParseFunction(function, compilation, cancellationToken);
            var (supplied, suppliedHelpers) = ActivationParser.ParseFunction(derivative, compilation, cancellationToken);
            if (forward is null || supplied is null)
            {
                return Array.Empty<string>();
            }

            var library = LibraryOf(forwardHelpers.Concat(suppliedHelpers));
            var evaluator = new Evaluator(library);
            var parameters = function.Parameters.Skip(1).Select(DefaultOrOne).ToArray();
            var breakpoints = KinkResolver.Breakpoints(forward).OfType<Constant>().Select(c => c.Value).ToList();
            string variable = function.Parameters[0].Name;
            var found = new List<string>();
            foreach (double z in Probes)
            {
                double h = 1e-4 * Math.Max(1, Math.Abs(z));
                if (breakpoints.Any(b => Math.Abs(b - z) < 4 * h))
                {
                    continue;
                }

                double central = (evaluator.Evaluate(forward, z + h, parameters) - evaluator.Evaluate(forward, z - h, parameters)) / (2 * h);
                double at = fromOutput ? evaluator.Evaluate(forward, z, parameters) : z;
                double given = evaluator.Evaluate(supplied, at, parameters);
                if (double.IsNaN(central) || double.IsInfinity(central) || double.IsNaN(given))
                {
                    continue; // a callee the analyzer cannot evaluate, or a point outside the function's domain
                }

                if (Math.Abs(given - central) > 1e-3 * Math.Max(1, Math.Abs(central)))
                {
                    found.Add(string.Format(CultureInfo.InvariantCulture, "at {0} = {1} it gives {2:G6}, the central difference {3:G6}", variable, z, given, central));
                }
            }

            return found;
        }

        private static double DefaultOrOne(IParameterSymbol parameter) =>
            parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is IConvertible value
                ? value.ToDouble(CultureInfo.InvariantCulture)
                : 1.0;

        private static ActivationLibrary LibraryOf(IEnumerable<HelperInfo> helpers)
        {
            var forwards = new Dictionary<string, Expr>(StringComparer.Ordinal);
            var supplied = new Dictionary<string, Expr?>(StringComparer.Ordinal);
            foreach (var helper in helpers)
            {
                if (helper.Body is not null)
                {
                    forwards[helper.Function.Key] = helper.Body;
                }

                supplied[helper.Function.Key] = helper.Derivative.Body;
            }

            return new ActivationLibrary(forwards, supplied);
        }

        /// <summary>The helpers an activation reaches as a library, for the analyzer's derivative (ACT001).</summary>
        public static ActivationLibrary LibraryOf(ParsedActivation parsed) => LibraryOf(parsed.Helpers);
    }
}
