using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.CodeFixes
{
    /// <summary>ACT106: adds <c>partial</c> to the type that holds an activation.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix))]
    [Shared]
    public sealed class MakePartialCodeFix : CodeFixProvider
    {
        private const string Title = "Make the type partial";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("ACT106");

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var type = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (root is null || type is null || type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ =>
                        {
                            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                            TypeDeclarationSyntax updated = type.Modifiers.Count == 0
                                ? type.WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia)))
                                      .WithKeyword(type.Keyword.WithLeadingTrivia())
                                : type.WithModifiers(type.Modifiers.Add(partial));
                            return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, updated)));
                        },
                        equivalenceKey: Title),
                    diagnostic);
            }
        }
    }
}
