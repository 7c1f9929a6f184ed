using System.Collections.Immutable;
using System.Linq;
using Activations.Generator.Diagnostics;
using Activations.Generator.Parsing;
using Activations.Generator.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Activations.Generator.Analysis
{
    /// <summary>
    /// Reports, while the user types, what the generator would otherwise only skip: the shape of an
    /// <c>[Activation]</c> method (ACT104–ACT106), and ACT001 where its derivative is identically zero
    /// on a half-line. The derivative is the generator's own, so every spelling of ReLU is caught.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ActivationAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The slope ACT001 suggests, and the code fix uses unless .editorconfig sets activations.leaky_slope.</summary>
        public const double DefaultLeakySlope = 0.01;

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.DeadNeuronRisk,
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

            var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
            if (declarations.Count > 0 && !declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, declarations[0].Identifier.GetLocation(), type.Name, activation.Name));
            }
        }

        private static IMethodSymbol? FirstActivation(INamedTypeSymbol type, INamedTypeSymbol attribute)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
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
                || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method
                || !method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
            {
                return;
            }

            var shape = ActivationParser.CheckShape(method, syntax, context.CancellationToken);
            foreach (var diagnostic in shape.Where(d => d.Id != DiagnosticDescriptors.TypeNotPartial.Id))
            {
                context.ReportDiagnostic(diagnostic); // ACT106 belongs to the type and is reported there
            }

            if (shape.Count > 0)
            {
                return;
            }

            var parsed = ActivationParser.Parse(method, syntax, context.SemanticModel, context.CancellationToken, checkGeneratedNames: false);
            if (parsed.Body is null)
            {
                return; // the generator reports why (ACT1xx); a dead-zone verdict on a broken body would mislead
            }

            try
            {
                var body = parsed.Body;
                var zones = DeepStack.Run(body, () => DeadZoneFinder.Find(KinkResolver.Resolve(Differentiator.Differentiate(body))));
                if (zones.Count > 0)
                {
                    string variable = parsed.Signature.VariableName;
                    string where = DeadZoneFinder.Describe(zones, variable);
                    string suggestion = $"{DefaultLeakySlope.ToString(System.Globalization.CultureInfo.InvariantCulture)}·{variable}";
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DeadNeuronRisk, syntax.Identifier.GetLocation(), method.Name, where, suggestion));
                }
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                // The generator reports internal failures as ACT100; the analyzer stays silent rather than throw (AD0001).
            }
        }
    }
}
