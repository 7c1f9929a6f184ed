using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Activations.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.CodeFixes
{
    /// <summary>ACT106: adds <c>partial</c> to the type that holds an activation.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix))]
    [Shared]
    internal sealed class MakePartialCodeFix : ActivationCodeFix
    {
        public MakePartialCodeFix()
            : base(DiagnosticIds.TypeNotPartial, "Make the type partial")
        {
        }

        /// <inheritdoc />
        protected override Task RegisterAsync(CodeFixContext context, SyntaxNode root)
        {
            var type = root.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (type is null || type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return Task.CompletedTask;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                Offer(
                    context,
                    diagnostic,
                    _ =>
                    {
                        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                        TypeDeclarationSyntax updated = type.Modifiers.Count == 0
                            ? type.WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia)))
                                  .WithKeyword(type.Keyword.WithLeadingTrivia())
                            : type.WithModifiers(type.Modifiers.Add(partial));
                        return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, updated)));
                    });
            }

            return Task.CompletedTask;
        }
    }
}
