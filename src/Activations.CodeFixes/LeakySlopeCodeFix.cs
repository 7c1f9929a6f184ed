using System.Collections.Generic;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Activations.Generator.Analysis;
using Activations.Generator.Calculus;
using Activations.Generator.Diagnostics;
using Activations.Generator.Emit;
using Activations.Generator.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Formatting;

namespace Activations.CodeFixes
{
    /// <summary>
    /// "Use a leaky slope" for ACT001. Where the zero branch is written out, it becomes <c>slope * z</c> in the
    /// user's own spelling (<c>Max(0, z)</c> → <c>Max(slope * z, z)</c>; a ternary's or an <c>if</c>'s zero →
    /// <c>slope * z</c>). Whatever dead zone is left (a ReLU6's upper side, <c>(z + |z|)/2</c>, <c>Clamp</c>,
    /// hard-swish) gets a leak term added to what the method returns, <c>slope * Min(z − k, 0)</c> below k or
    /// <c>slope * Max(z − k, 0)</c> above it, which keeps the function where it was alive. The result is checked
    /// with the analyzer's own dead-zone analysis; the fix is offered only when no dead zone remains. The slope
    /// is 0.01 unless <c>.editorconfig</c> sets <c>activations.leaky_slope</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LeakySlopeCodeFix))]
    [Shared]
    internal sealed class LeakySlopeCodeFix : ActivationCodeFix
    {
        public LeakySlopeCodeFix()
            : base(DiagnosticIds.DeadNeuronRisk, "Use a leaky slope")
        {
        }

        private static readonly SyntaxAnnotation FixedMethod = new(nameof(LeakySlopeCodeFix));

        /// <inheritdoc />
        protected override async Task RegisterAsync(CodeFixContext context, SyntaxNode root)
        {
            var method = root.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null || method.ParameterList.Parameters.Count == 0)
            {
                return;
            }

            LeakySlopeOption.TryParse(LeakySlopeOption.TextFor(context.Document.Project.AnalyzerOptions, method.SyntaxTree), out double slope);
            var fixedDocument = await FixAsync(context.Document, root, method, slope, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is null)
            {
                return; // no rewrite that provably removes every dead zone (see the ACT001 page)
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                Offer(context, diagnostic, _ => Task.FromResult(fixedDocument));
            }
        }

        /// <summary>The document with the method fixed, or null when no fix leaves it without a dead zone.</summary>
        private static async Task<Document?> FixAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, double slope, CancellationToken cancellationToken)
        {
            var before = await DeadZonesAsync(document, method, cancellationToken).ConfigureAwait(false);
            if (before is not { Count: > 0 })
            {
                return null;
            }

            // The user's own spelling first, kept only when it removes a dead zone that ends at 0 and breaks nothing.
            var (chosen, zones) = (method, before);
            if (Rewrite(method, slope) is { } rewritten)
            {
                var after = await DeadZonesAsync(Replace(document, root, method, rewritten), null, cancellationToken).ConfigureAwait(false);
                // slope·z in place of a zero is continuous only where the zone ends at 0 (Max(0, z), z > 0 ? z : 0);
                // a zone that ends elsewhere (hard-sigmoid's −3) gets the leak term, which is continuous everywhere.
                var removed = after is null ? new List<DeadZone>() : before.Where(b => !after.Contains(b)).ToList();
                if (after is not null && removed.Count > 0 && removed.All(zone => zone.Boundary == 0))
                {
                    (chosen, zones) = (rewritten, after);
                }
            }

            if (zones.Count > 0)
            {
                var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                chosen = AddLeakTerms(chosen, zones, slope, MathTypeAt(model, method));
            }

            var result = Replace(document, root, method, chosen);
            var remaining = await DeadZonesAsync(result, null, cancellationToken).ConfigureAwait(false);
            if (remaining is not { Count: 0 })
            {
                return null;
            }

            // Only the new syntax is laid out (spaces around the operators); the user's own stays as written.
            return await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private static Document Replace(Document document, SyntaxNode root, MethodDeclarationSyntax method, MethodDeclarationSyntax replacement) =>
            document.WithSyntaxRoot(root.ReplaceNode(method, replacement.WithAdditionalAnnotations(FixedMethod)));

        /// <summary>The dead zones of <paramref name="method"/>, or of the method marked <see cref="FixedMethod"/> when it is null.</summary>
        private static async Task<IReadOnlyList<DeadZone>?> DeadZonesAsync(Document document, MethodDeclarationSyntax? method, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var current = method ?? root?.GetAnnotatedNodes(FixedMethod).OfType<MethodDeclarationSyntax>().FirstOrDefault();
            return current is not null && model?.GetDeclaredSymbol(current, cancellationToken) is IMethodSymbol symbol
                ? DeadZoneAnalysis.Find(symbol, current, model, cancellationToken)
                : null;
        }

        /// <summary>
        /// Adds <c>slope * Min(z − k, 0)</c> for a zone below k and <c>slope * Max(z − k, 0)</c> for one above k
        /// to every value the method returns (a zone that covers every z gets <c>slope * z</c>).
        /// </summary>
        internal static MethodDeclarationSyntax AddLeakTerms(MethodDeclarationSyntax method, IReadOnlyList<DeadZone> zones, double slope, string math)
        {
            bool isFloat = IsFloat(method);
            string z = method.ParameterList.Parameters[0].Identifier.ValueText;
            var terms = new List<string>();
            foreach (var zone in zones)
            {
                if (double.IsInfinity(zone.Boundary))
                {
                    terms.Add($"{Literal(slope, isFloat)} * {z}");
                    continue;
                }

                string shifted = zone.Boundary == 0 ? z : zone.Boundary > 0 ? $"{z} - {Literal(zone.Boundary, isFloat)}" : $"{z} + {Literal(-zone.Boundary, isFloat)}";
                terms.Add($"{Literal(slope, isFloat)} * {math}.{(zone.ExtendsToPlusInfinity ? "Max" : "Min")}({shifted}, {Literal(0, isFloat)})");
            }

            ExpressionSyntax WithLeak(ExpressionSyntax value)
            {
                string left = NeedsParentheses(value) ? "(" + value.WithoutTrivia().ToString() + ")" : value.WithoutTrivia().ToString();
                return SyntaxFactory.ParseExpression(left + " + " + string.Join(" + ", terms))
                    .WithAdditionalAnnotations(Formatter.Annotation)
                    .WithTriviaFrom(value);
            }

            if (method.ExpressionBody is { } arrow)
            {
                return method.WithExpressionBody(arrow.WithExpression(WithLeak(arrow.Expression)));
            }

            var returns = method.Body!.DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax))
                .OfType<ReturnStatementSyntax>()
                .Where(r => r.Expression is not null)
                .ToList();
            return method.ReplaceNodes(returns, (original, _) => original.WithExpression(WithLeak(original.Expression!)));
        }

        /// <summary><c>MathF</c> (or <c>Math</c> for double) where the method's usings reach it, else fully qualified.</summary>
        private static string MathTypeAt(SemanticModel? model, MethodDeclarationSyntax method)
        {
            string name = IsFloat(method) ? "MathF" : "Math";
            var bound = model?.GetSpeculativeTypeInfo(method.SpanStart, SyntaxFactory.ParseTypeName(name), SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
            return bound?.ToDisplayString() == "System." + name ? name : "global::System." + name;
        }

        private static bool NeedsParentheses(ExpressionSyntax value) => value switch
        {
            BinaryExpressionSyntax binary => !binary.IsKind(SyntaxKind.AddExpression) && !binary.IsKind(SyntaxKind.SubtractExpression)
                && !binary.IsKind(SyntaxKind.MultiplyExpression) && !binary.IsKind(SyntaxKind.DivideExpression),
            IdentifierNameSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax
                or ParenthesizedExpressionSyntax or PrefixUnaryExpressionSyntax or CastExpressionSyntax => false,
            _ => true,
        };

        /// <summary>A literal in the generator's own spelling (<c>0.01f</c>, <c>6.0</c>).</summary>
        private static string Literal(double value, bool isFloat) => CSharpExpressionWriter.Literal(value, isDouble: !isFloat);

        private static bool IsFloat(MethodDeclarationSyntax method) =>
            method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.FloatKeyword };

        /// <summary>The method with every rewritable zero branch replaced, or null when there is none.</summary>
        internal static MethodDeclarationSyntax? Rewrite(MethodDeclarationSyntax method, double slope)
        {
            bool isFloat = IsFloat(method);
            var variable = SyntaxFactory.IdentifierName(method.ParameterList.Parameters[0].Identifier.ValueText);
            var literal = SyntaxFactory.LiteralExpression(
                SyntaxKind.NumericLiteralExpression,
                isFloat ? SyntaxFactory.Literal(Literal(slope, isFloat), (float)slope) : SyntaxFactory.Literal(Literal(slope, isFloat), slope));

            ExpressionSyntax Scaled(ExpressionSyntax of) => SyntaxFactory.BinaryExpression(
                SyntaxKind.MultiplyExpression,
                literal,
                of is IdentifierNameSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax ? of : SyntaxFactory.ParenthesizedExpression(of));

            var targets = method.DescendantNodes().Where(IsZero).Where(zero => Replacement(zero) is not null).ToList();
            if (targets.Count == 0)
            {
                return null;
            }

            return method.ReplaceNodes(targets, (original, _) => Replacement(original)!.WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation));

            ExpressionSyntax? Replacement(SyntaxNode zero)
            {
                var outer = zero.Parent;
                while (outer is ParenthesizedExpressionSyntax or CastExpressionSyntax)
                {
                    outer = outer.Parent;
                }

                switch (outer)
                {
                    case ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 2 } arguments, } argument
                        when arguments.Parent is InvocationExpressionSyntax invocation && MethodName(invocation) == "Max":
                        var other = arguments.Arguments.First(a => a != argument).Expression;
                        return Scaled(other);
                    case ConditionalExpressionSyntax:
                    case ReturnStatementSyntax:
                    case ArrowExpressionClauseSyntax:
                        return Scaled(variable);
                    default:
                        return null;
                }
            }
        }

        private static bool IsZero(SyntaxNode node) =>
            node is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal
            && System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture) == 0;

        private static string? MethodName(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => null,
        };
    }
}
