using Microsoft.CodeAnalysis;

namespace Activations.Generator.Parsing
{
    /// <summary>
    /// Finds the methods users mark <c>[Derivative(nameof(F))]</c>: in F's own type, static, with F's parameter
    /// and return types. The generator, the analyzer and the checks of ACT004/ACT114 all look them up here.
    /// </summary>
    internal static class SuppliedDerivatives
    {
        public const string AttributeMetadataName = "Activations.DerivativeAttribute";

        /// <summary>The supplied derivative of <paramref name="function"/> (its from-output form when <paramref name="fromOutput"/>), or null.</summary>
        public static IMethodSymbol? Find(IMethodSymbol function, bool fromOutput) =>
            Candidates(function, fromOutput).FirstOrDefault(m => Matches(m, function));

        /// <summary>Every method in <paramref name="function"/>'s type that says it differentiates it, matching or not (for ACT114).</summary>
        public static IEnumerable<IMethodSymbol> Candidates(IMethodSymbol function, bool fromOutput) =>
            function.ContainingType.GetMembers()
                .OfType<IMethodSymbol>()
                .Where(m => TryRead(m, out string of, out bool isFromOutput) && of == function.Name && isFromOutput == fromOutput)
                .OrderBy(m => m.Name, System.StringComparer.Ordinal);

        /// <summary>Reads <c>[Derivative(of, FromOutput = …)]</c> off a method.</summary>
        public static bool TryRead(IMethodSymbol method, out string of, out bool fromOutput)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == AttributeMetadataName
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
                {
                    of = name;
                    fromOutput = attribute.NamedArguments.Any(n => n.Key == "FromOutput" && n.Value.Value is true);
                    return true;
                }
            }

            of = string.Empty;
            fromOutput = false;
            return false;
        }

        /// <summary>Static, and the same parameter and return types as the function it differentiates.</summary>
        public static bool Matches(IMethodSymbol derivative, IMethodSymbol function) =>
            derivative.IsStatic
            && !derivative.IsGenericMethod
            && SymbolEqualityComparer.Default.Equals(derivative.ReturnType, function.ReturnType)
            && derivative.Parameters.Select(p => p.Type).SequenceEqual(function.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default);

        /// <summary>
        /// A method an activation can call through its supplied derivative: static, not generic, of float or double
        /// throughout (the first parameter is the variable, the others hyperparameters), with a body of its own.
        /// </summary>
        public static bool IsHelperShape(IMethodSymbol method) =>
            method.IsStatic
            && !method.IsGenericMethod
            && method.MethodKind == MethodKind.Ordinary
            && method.ReturnType.SpecialType is SpecialType.System_Single or SpecialType.System_Double
            && method.Parameters.Length >= 1
            && method.Parameters.All(p => p.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(p.Type, method.ReturnType));
    }
}
