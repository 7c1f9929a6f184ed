using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Activations.CodeFixes
{
    /// <summary>
    /// What every fix here shares: the one diagnostic it fixes (by the id the analyzer reports it with), one
    /// title that is also the equivalence key, so that Fix All applies the same fix everywhere, and batch Fix All.
    /// </summary>
    internal abstract class ActivationCodeFix : CodeFixProvider
    {
        private readonly string title;

        protected ActivationCodeFix(string diagnosticId, string title)
        {
            FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
            this.title = title;
        }

        /// <inheritdoc />
        public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

        /// <inheritdoc />
        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            if (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is { } root)
            {
                await RegisterAsync(context, root).ConfigureAwait(false);
            }
        }

        /// <summary>Offers the fix, where it applies, for each of <paramref name="context"/>'s diagnostics in the document of <paramref name="root"/>.</summary>
        protected abstract Task RegisterAsync(CodeFixContext context, SyntaxNode root);

        /// <summary>Offers this fix for <paramref name="diagnostic"/>.</summary>
        protected void Offer(CodeFixContext context, Diagnostic diagnostic, Func<CancellationToken, Task<Document>> fix) =>
            context.RegisterCodeFix(CodeAction.Create(title, fix, equivalenceKey: title), diagnostic);
    }
}
