using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Activations.Generator.Parsing;
using Activations.Generator.Symbolic;
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
        /// <summary>Diagnostic property: the z at which a dead zone towards −∞ ends (round-trip text).</summary>
        public const string BelowProperty = "DeadBelow";

        /// <summary>Diagnostic property: the z at which a dead zone towards +∞ starts (round-trip text).</summary>
        public const string AboveProperty = "DeadAbove";

        /// <summary>
        /// The dead zones of <paramref name="method"/>, empty when there are none, null when the method cannot
        /// be analysed (a shape problem or a body the generator reports on).
        /// </summary>
        public static IReadOnlyList<DeadZone>? Find(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            if (ActivationParser.CheckShape(method, syntax, cancellationToken).Count > 0)
            {
                return null;
            }

            var parsed = ActivationParser.Parse(method, syntax, model, cancellationToken, checkGeneratedNames: false);
            if (parsed.Body is not { } body)
            {
                return null; // the generator reports why (ACT1xx); a dead-zone verdict on a broken body would mislead
            }

            try
            {
                return DeepStack.Run(body, () => DeadZoneFinder.Find(KinkResolver.Resolve(Differentiator.Differentiate(body))));
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                // The generator reports internal failures as ACT100; analysis stays silent rather than throw (AD0001).
                return null;
            }
        }

        /// <summary>The zones as diagnostic properties, for the code fix.</summary>
        public static ImmutableDictionary<string, string?> ToProperties(IReadOnlyList<DeadZone> zones)
        {
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            foreach (var zone in zones.Where(z => !double.IsInfinity(z.Boundary)))
            {
                properties[zone.ExtendsToPlusInfinity ? AboveProperty : BelowProperty] = zone.Boundary.ToString("R", CultureInfo.InvariantCulture);
            }

            return properties.ToImmutable();
        }
    }
}
