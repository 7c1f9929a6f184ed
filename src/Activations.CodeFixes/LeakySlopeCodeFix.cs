using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.CodeFixes
{
    /// <summary>
    /// "Use a leaky slope" for ACT001: rewrites the zero branch of a ReLU-like activation to
    /// <c>slope * z</c> in the user's own spelling (<c>Max(0, z)</c> → <c>Max(slope * z, z)</c>; a ternary's or
    /// an <c>if</c>'s zero → <c>slope * z</c>). The slope is 0.01 unless <c>.editorconfig</c> sets
    /// <c>activations.leaky_slope</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LeakySlopeCodeFix))]
    [Shared]
    public sealed class LeakySlopeCodeFix : CodeFixProvider
    {
        /// <summary>The .editorconfig key for the slope.</summary>
        public const string SlopeOption = "activations.leaky_slope";

        private const double DefaultSlope = 0.01;

        private const string Title = "Use a leaky slope";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("ACT001");

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var method = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (root is null || method is null || method.ParameterList.Parameters.Count == 0)
            {
                return;
            }

            var slope = ReadSlope(context.Document, method.SyntaxTree);
            if (Rewrite(method, slope) is null)
            {
                return; // no zero branch in a shape we can rewrite (Clamp, Abs): leave it to the user
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => ApplyAsync(context.Document, method, slope, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static async Task<Document> ApplyAsync(Document document, MethodDeclarationSyntax method, double slope, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var current = root?.DescendantNodes().OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Span == method.Span) ?? method;
            var rewritten = Rewrite(current, slope);
            return root is null || rewritten is null ? document : document.WithSyntaxRoot(root.ReplaceNode(current, rewritten));
        }

        private static double ReadSlope(Document document, SyntaxTree tree)
        {
            var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
            return options.TryGetValue(SlopeOption, out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && value > 0 && value < 1
                ? value
                : DefaultSlope;
        }

        /// <summary>The method with every rewritable zero branch replaced, or null when there is none.</summary>
        internal static MethodDeclarationSyntax? Rewrite(MethodDeclarationSyntax method, double slope)
        {
            bool isFloat = method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.FloatKeyword };
            var variable = SyntaxFactory.IdentifierName(method.ParameterList.Parameters[0].Identifier.ValueText);
            var literal = SyntaxFactory.LiteralExpression(
                SyntaxKind.NumericLiteralExpression,
                isFloat
                    ? SyntaxFactory.Literal(((float)slope).ToString("R", CultureInfo.InvariantCulture) + "f", (float)slope)
                    : SyntaxFactory.Literal(slope.ToString("R", CultureInfo.InvariantCulture), slope));

            ExpressionSyntax Scaled(ExpressionSyntax of) => SyntaxFactory.BinaryExpression(
                SyntaxKind.MultiplyExpression,
                literal,
                of is IdentifierNameSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax ? of : SyntaxFactory.ParenthesizedExpression(of));

            var targets = method.DescendantNodes().Where(IsZero).Where(zero => Replacement(zero) is not null).ToList();
            if (targets.Count == 0)
            {
                return null;
            }

            return method.ReplaceNodes(targets, (original, _) => Replacement(original)!.WithTriviaFrom(original));

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
