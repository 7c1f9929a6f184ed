using System.Collections.Immutable;
using Activations.Generator.Calculus;
using Activations.Generator.Diagnostics;
using Activations.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Activations.Generator.Analysis
{
    /// <summary>
    /// Reports, while the user types, what the generator would otherwise only skip: the shape of an
    /// <c>[Activation]</c> method (ACT104–ACT106), the attribute where it has no effect (ACT109), an invalid
    /// <c>activations.leaky_slope</c> (ACT003), and ACT001 where its derivative is identically zero on a
    /// half-line. The derivative is the generator's own, so every spelling of ReLU is caught. ACT002 where a
    /// subexpression overflows or is NaN on a range where its true value is finite (see <see cref="StabilityAnalysis"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ActivationAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.DeadNeuronRisk,
            DiagnosticDescriptors.UnstableSpelling,
            DiagnosticDescriptors.InvalidOption,
            DiagnosticDescriptors.SuppliedDerivativeDisagrees,
            DiagnosticDescriptors.InvalidSuppliedDerivative,
            DiagnosticDescriptors.NotAMethod,
            DiagnosticDescriptors.InvalidMethodShape,
            DiagnosticDescriptors.UnsupportedParameterType,
            DiagnosticDescriptors.TypeNotPartial);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // Resolved once per compilation; a project without the attribute costs nothing further.
                var attribute = start.Compilation.GetTypeByMetadataName(ActivationParser.AttributeMetadataName);
                if (attribute is null)
                {
                    return;
                }

                start.RegisterSyntaxNodeAction(node => AnalyzeMethod(node, attribute), SyntaxKind.MethodDeclaration);
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, attribute), SymbolKind.NamedType);
                start.RegisterSyntaxNodeAction(node => AnalyzeFunction(node, attribute), SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
                start.RegisterSemanticModelAction(model => AnalyzeOptions(model, attribute));
            });
        }

        /// <summary>ACT106 on a type that holds activations, directly or in nested types, and is not partial.</summary>
        private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol attribute)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var activation = FirstActivation(type, attribute);
            if (activation is null)
            {
                return;
            }

            if (!Parsing.ActivationParser.IsDeclaredPartial(type, context.CancellationToken, out var declaration) && declaration is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), type.Name, activation.Name));
            }
        }

        private static IMethodSymbol? FirstActivation(INamedTypeSymbol type, INamedTypeSymbol attribute)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && HasAttribute(method, attribute))
                {
                    return method;
                }

                if (member is INamedTypeSymbol nested && FirstActivation(nested, attribute) is { } inner)
                {
                    return inner;
                }
            }

            return null;
        }

        private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;
            if (syntax.AttributeLists.Count == 0
                || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method)
            {
                return;
            }

            if (SuppliedDerivatives.TryRead(method, out string of, out bool fromOutput))
            {
                AnalyzeSuppliedDerivative(context, syntax, method, of, fromOutput);
            }

            if (!HasAttribute(method, attribute))
            {
                return;
            }

            var shape = ActivationParser.CheckShape(method, syntax, context.CancellationToken);
            foreach (var diagnostic in shape.Where(d => d.Id != DiagnosticIds.TypeNotPartial))
            {
                context.ReportDiagnostic(diagnostic); // ACT106 belongs to the type and is reported there
            }

            if (shape.Count > 0)
            {
                return;
            }

            var (parsed, subexpressions) = ActivationParser.ParseWithSubexpressions(method, syntax, context.SemanticModel, context.CancellationToken);
            var zones = DeadZoneAnalysis.Find(parsed);
            if (zones is { Count: > 0 })
            {
                LeakySlopeOption.TryParse(LeakySlopeOption.TextFor(context.Options, syntax.SyntaxTree), out double slope);
                string variable = method.Parameters[0].Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DeadNeuronRisk,
                    syntax.Identifier.GetLocation(),
                    method.Name,
                    DeadZoneFinder.Describe(zones, variable),
                    LeakySlopeOption.Suggestion(slope, variable)));
            }

            foreach (var finding in StabilityAnalysis.Find(parsed, subexpressions, context.CancellationToken))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnstableSpelling,
                    finding.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(StabilityAnalysis.ReplacementKey, finding.Replacement),
                    Shorten(finding.Syntax.ToString()),
                    finding.Problem,
                    finding.Range,
                    finding.TrueValue));
            }
        }

        /// <summary>ACT114 where a <c>[Derivative]</c> method supplies nothing; ACT004 where it disagrees with its function.</summary>
        private static void AnalyzeSuppliedDerivative(SyntaxNodeAnalysisContext context, MethodDeclarationSyntax syntax, IMethodSymbol method, string of, bool fromOutput)
        {
            if (SuppliedDerivativeCheck.Problem(method, of, fromOutput) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidSuppliedDerivative, syntax.Identifier.GetLocation(), of, method.Name, problem));
                return;
            }

            var disagreements = SuppliedDerivativeCheck.Disagreements(method, of, fromOutput, context.SemanticModel.Compilation, context.CancellationToken);
            if (disagreements.Count > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.SuppliedDerivativeDisagrees,
                    syntax.Identifier.GetLocation(),
                    method.Name,
                    fromOutput ? "from-output " : string.Empty,
                    of,
                    string.Join("; ", disagreements.Take(3)) + (disagreements.Count > 3 ? $"; and at {disagreements.Count - 3} more points" : string.Empty)));
            }
        }

        /// <summary>A subexpression as the message quotes it: on one line, and cut after 80 characters.</summary>
        private static string Shorten(string text)
        {
            string line = string.Join(" ", text.Split(new[] { '\r', '\n', ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
            return line.Length <= 80 ? line : line.Substring(0, 79) + "…";
        }

        /// <summary>ACT109: <c>[Activation]</c> on a lambda or a local function, which the generator never sees.</summary>
        private static void AnalyzeFunction(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
        {
            var (lists, what, name) = context.Node switch
            {
                LocalFunctionStatementSyntax local => (local.AttributeLists, "the local function '" + local.Identifier.ValueText + "'", local.Identifier.ValueText),
                ParenthesizedLambdaExpressionSyntax lambda => (lambda.AttributeLists, "a lambda", "the function"),
                _ => (default(SyntaxList<AttributeListSyntax>), string.Empty, string.Empty),
            };
            foreach (var attributeSyntax in lists.SelectMany(l => l.Attributes))
            {
                if (SymbolEqualityComparer.Default.Equals(context.SemanticModel.GetTypeInfo(attributeSyntax, context.CancellationToken).Type, attribute))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotAMethod, attributeSyntax.GetLocation(), what, name));
                }
            }
        }

        /// <summary>
        /// ACT003, once per file that declares activations, where <c>activations.leaky_slope</c> is set to
        /// something that is not a number in (0, 1): it would otherwise fall back to the default in silence.
        /// </summary>
        private static void AnalyzeOptions(SemanticModelAnalysisContext context, INamedTypeSymbol attribute)
        {
            var tree = context.SemanticModel.SyntaxTree;
            string? text = LeakySlopeOption.TextFor(context.Options, tree);
            if (text is null || LeakySlopeOption.TryParse(text, out _))
            {
                return;
            }

            var first = tree.GetRoot(context.CancellationToken).DescendantNodes()
                .OfType<MethodDeclarationSyntax>()
                .Where(m => m.AttributeLists.Count > 0)
                .FirstOrDefault(m => context.SemanticModel.GetDeclaredSymbol(m, context.CancellationToken) is { } method && HasAttribute(method, attribute));
            if (first is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidOption,
                    first.Identifier.GetLocation(),
                    text,
                    LeakySlopeOption.Key,
                    System.IO.Path.GetFileName(tree.FilePath),
                    "a number between 0 and 1 (exclusive, with '.' as the decimal point)",
                    LeakySlopeOption.Default.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute) =>
            symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
    }
}
