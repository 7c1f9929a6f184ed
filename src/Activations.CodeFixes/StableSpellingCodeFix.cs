using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Activations.Generator.Analysis;
using Activations.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.CodeFixes
{
    /// <summary>
    /// ACT002: puts the stable spelling the analyzer computed (carried in the diagnostic) in place of the
    /// subexpression that overflows, parenthesised where its context binds tighter. The analyzer only reports
    /// where that spelling is finite and agrees with the true value, so the fixed code has no ACT002 there.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StableSpellingCodeFix))]
    [Shared]
    internal sealed class StableSpellingCodeFix : ActivationCodeFix
    {
        public StableSpellingCodeFix()
            : base(DiagnosticIds.UnstableSpelling, "Use a spelling that stays finite")
        {
        }

        /// <inheritdoc />
        protected override Task RegisterAsync(CodeFixContext context, SyntaxNode root)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(StabilityAnalysis.ReplacementKey, out var replacement) || replacement is null
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax target
                    || target.Span != diagnostic.Location.SourceSpan)
                {
                    continue;
                }

                Offer(context, diagnostic, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target, Replacement(target, replacement)))));
            }

            return Task.CompletedTask;
        }

        private static ExpressionSyntax Replacement(ExpressionSyntax target, string text)
        {
            ExpressionSyntax parsed = SyntaxFactory.ParseExpression(text);
            bool standsAlone = target.Parent is ArrowExpressionClauseSyntax or ReturnStatementSyntax or EqualsValueClauseSyntax or ArgumentSyntax or ParenthesizedExpressionSyntax
                || parsed is InvocationExpressionSyntax or IdentifierNameSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax;
            var expression = standsAlone ? parsed : SyntaxFactory.ParenthesizedExpression(parsed);
            return expression.WithTriviaFrom(target);
        }
    }
}
