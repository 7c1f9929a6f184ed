using Activations.Generator.Calculus;
using Activations.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.Generator.Analysis
{
    /// <summary>
    /// The one way ACT001 is decided, shared by the analyzer and the leaky-slope code fix (which checks its
    /// own result with it): parse the method as the generator does, differentiate, resolve kinks, find the
    /// half-lines where the derivative is identically zero.
    /// </summary>
    internal static class DeadZoneAnalysis
    {
        /// <summary>
        /// The dead zones of <paramref name="method"/>, empty when there are none, null when the method cannot
        /// be analysed (a shape problem or a body the generator reports on).
        /// </summary>
        public static IReadOnlyList<DeadZone>? Find(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            // Parse checks the shape itself: a method of the wrong shape has no body.
            return Find(ActivationParser.Parse(method, syntax, model, cancellationToken, checkGeneratedNames: false));
        }

        /// <summary>The dead zones of a method already parsed (the analyzer parses once for ACT001 and ACT002).</summary>
        public static IReadOnlyList<DeadZone>? Find(Model.ParsedActivation parsed)
        {
            if (parsed.Body is not { } body)
            {
                return null; // the generator reports why (ACT1xx); a dead-zone verdict on a broken body would mislead
            }

            // A supplied derivative is the derivative: the generated one computes it. One outside the subset has no verdict.
            var derivativeOf = parsed.Override?.Derivative;
            if (derivativeOf is { Body: null })
            {
                return null;
            }

            try
            {
                return DeepStack.Run(body, () =>
                {
                    var derivative = derivativeOf?.Body ?? Differentiator.Differentiate(body);
                    var library = SuppliedDerivativeCheck.LibraryOf(parsed);
                    var withHelpers = ActivationInliner.InlineDerivatives(derivative, library, out _) ?? derivative;
                    return DeadZoneFinder.Find(KinkResolver.Resolve(withHelpers));
                });
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                // The generator reports internal failures as ACT100; analysis stays silent rather than throw (AD0001).
                return null;
            }
        }
    }
}
