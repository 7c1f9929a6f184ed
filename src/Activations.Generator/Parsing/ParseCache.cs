using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.Generator.Parsing
{
    /// <summary>
    /// Keeps each method's parse across compilations while nothing it can bind to has changed.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>ForAttributeWithMetadataName</c> hands every attributed method to the parse step again on each
    /// new compilation, and binding a body (<see cref="SemanticModel.GetOperation"/>) is most of the
    /// generator's cost: without this cache an edit to an unrelated file re-binds all of them.
    /// </para>
    /// <para>
    /// A body's binding depends on its own syntax, on the declarations it can reach by name, and on
    /// things that apply to every file: references, compilation options, global usings. The cache keys
    /// each parse on the declaration node (an unchanged file keeps its nodes across compilations) and
    /// keeps a fingerprint of the rest: for every name the declaration mentions, the skeletons (the
    /// text with member bodies left out) of the files that declare that name. Typing inside another
    /// method's body changes no skeleton; adding a class changes only the names it declares.
    /// </para>
    /// <para>
    /// Only what is surely name-bound is kept: a declaration made of the plain expressions and
    /// statements of the supported subset (no pattern-based lookups such as <c>foreach</c> or
    /// <c>using</c>), whose parse succeeded, and whose folded constants have literal initializers.
    /// Everything else is parsed each time, as before.
    /// </para>
    /// </remarks>
    internal static class ParseCache
    {
        private static readonly ConditionalWeakTable<MethodDeclarationSyntax, Slot> Parses = new();
        private static readonly ConditionalWeakTable<Compilation, DeclarationIndex> Indexes = new();
        private static readonly ConditionalWeakTable<SyntaxTree, TreeSkeleton> Skeletons = new();

        /// <summary>How many bodies this thread has bound; tests read it to see the cache at work.</summary>
        [ThreadStatic]
        internal static int BodiesBound;

        public static ParsedActivation GetOrParse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var syntax = (MethodDeclarationSyntax)context.TargetNode;
            var method = (IMethodSymbol)context.TargetSymbol;
            string[]? names;
            ulong fingerprint;
            try
            {
                names = NamesMentioned(syntax);
                fingerprint = names is null ? 0 : Indexes.GetValue(context.SemanticModel.Compilation, DeclarationIndex.Build).Fingerprint(names);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cache only saves time; whatever goes wrong in it, the parse itself still runs.
                names = null;
                fingerprint = 0;
            }

            if (names is null)
            {
                return Bind(method, syntax, context.SemanticModel, cancellationToken).Result;
            }

            var slot = Parses.GetOrCreateValue(syntax);
            if (slot.Entry is { } entry && entry.Fingerprint == fingerprint)
            {
                return entry.Result;
            }

            var (result, reusable) = Bind(method, syntax, context.SemanticModel, cancellationToken);
            slot.Entry = reusable && result.CanGenerate ? new Entry(fingerprint, result) : null;
            return result;
        }

        private static (ParsedActivation Result, bool Reusable) Bind(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            BodiesBound++;
            return ActivationParser.ParseTracked(method, syntax, model, cancellationToken);
        }

        /// <summary>
        /// Every name the declaration's binding can depend on, sorted; null when it holds a construct
        /// whose binding looks up names it does not spell (<c>foreach</c>, <c>using</c>, tuples…).
        /// </summary>
        internal static string[]? NamesMentioned(MethodDeclarationSyntax syntax)
        {
            var parameters = new HashSet<string>(syntax.ParameterList.Parameters.Select(p => p.Identifier.ValueText), StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal)
            {
                // The attribute, and the members the generator adds (a clash is reported).
                "Activation", "ActivationAttribute",
                syntax.Identifier.ValueText,
                syntax.Identifier.ValueText + "Derivative",
                syntax.Identifier.ValueText + "DerivativeFromOutput",
            };

            foreach (var node in syntax.DescendantNodes())
            {
                if (!IsNameBound(node))
                {
                    return null;
                }

                // A parameter is in scope for the whole body and hides any member of its name.
                if (node is SimpleNameSyntax name && !parameters.Contains(name.Identifier.ValueText))
                {
                    names.Add(name.Identifier.ValueText);
                }
            }

            // The enclosing types (their other partial parts decide 'partial', 'record', type parameters)
            // and namespaces.
            foreach (var ancestor in syntax.Ancestors())
            {
                switch (ancestor)
                {
                    case BaseTypeDeclarationSyntax type:
                        names.Add(type.Identifier.ValueText);
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        names.UnionWith(NamespaceNames(ns));
                        break;
                }
            }

            var sorted = names.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            return sorted;
        }

        /// <summary>Every part of a namespace's dotted name: <c>A.B.C</c> declares A, B and C.</summary>
        private static IEnumerable<string> NamespaceNames(BaseNamespaceDeclarationSyntax ns) =>
            ns.Name.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Select(n => n.Identifier.ValueText);

        /// <summary>The syntax of the supported subset, whose binding looks up only the names it spells.</summary>
        private static bool IsNameBound(SyntaxNode node) => node switch
        {
            LocalDeclarationStatementSyntax local => local.UsingKeyword.IsKind(SyntaxKind.None) && local.AwaitKeyword.IsKind(SyntaxKind.None),
            AttributeListSyntax or AttributeSyntax or AttributeArgumentListSyntax or AttributeArgumentSyntax or AttributeTargetSpecifierSyntax
                or NameEqualsSyntax or NameColonSyntax
                or PredefinedTypeSyntax or IdentifierNameSyntax or GenericNameSyntax or TypeArgumentListSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax
                or ParameterListSyntax or ParameterSyntax or EqualsValueClauseSyntax
                or BlockSyntax or ArrowExpressionClauseSyntax or ReturnStatementSyntax or IfStatementSyntax or ElseClauseSyntax
                or VariableDeclarationSyntax or VariableDeclaratorSyntax or ExpressionStatementSyntax or EmptyStatementSyntax
                or LiteralExpressionSyntax or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax
                or ParenthesizedExpressionSyntax or ConditionalExpressionSyntax or CastExpressionSyntax or AssignmentExpressionSyntax
                or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ArgumentListSyntax or ArgumentSyntax or CheckedExpressionSyntax => true,
            _ => false,
        };

        private sealed class Slot
        {
            public volatile Entry? Entry;
        }

        private sealed class Entry
        {
            public Entry(ulong fingerprint, ParsedActivation result)
            {
                Fingerprint = fingerprint;
                Result = result;
            }

            public ulong Fingerprint { get; }

            public ParsedActivation Result { get; }
        }

        /// <summary>
        /// One compilation's declarations: for each declared name, a hash over the skeletons of the files
        /// that declare it, and a hash of what applies to all files.
        /// </summary>
        private sealed class DeclarationIndex
        {
            private readonly Dictionary<string, ulong> byName;
            private readonly ulong everywhere;

            private DeclarationIndex(Dictionary<string, ulong> byName, ulong everywhere)
            {
                this.byName = byName;
                this.everywhere = everywhere;
            }

            public static DeclarationIndex Build(Compilation compilation)
            {
                var byName = new Dictionary<string, ulong>(StringComparer.Ordinal);
                var everywhere = Fnv.Start();
                everywhere.Add(compilation.AssemblyName ?? string.Empty);
                // The options that change how a body binds. (Not Options.GetHashCode: the compiler's own
                // options object throws from it.)
                everywhere.Add(compilation.Options.CheckOverflow ? 1UL : 0UL);
                everywhere.Add((ulong)compilation.Options.NullableContextOptions);
                if (compilation.Options is CSharpCompilationOptions csharp)
                {
                    everywhere.Add(csharp.AllowUnsafe ? 1UL : 0UL);
                    foreach (string import in csharp.Usings)
                    {
                        everywhere.Add(import);
                    }
                }

                foreach (var reference in compilation.References)
                {
                    // Identity: a host that rebuilds a reference object only costs a re-parse.
                    everywhere.Add((uint)RuntimeHelpers.GetHashCode(reference));
                }

                ulong global = 0;
                foreach (var tree in compilation.SyntaxTrees)
                {
                    var skeleton = Skeletons.GetValue(tree, TreeSkeleton.Build);
                    global = unchecked(global + skeleton.Global);
                    foreach (string name in skeleton.DeclaredNames)
                    {
                        // A sum, so the order of the files does not matter.
                        byName[name] = unchecked((byName.TryGetValue(name, out ulong sum) ? sum : 0UL) + skeleton.Hash);
                    }
                }

                everywhere.Add(global);
                return new DeclarationIndex(byName, everywhere.Value);
            }

            public ulong Fingerprint(string[] names)
            {
                var hash = Fnv.Start();
                hash.Add(everywhere);
                foreach (string name in names)
                {
                    hash.Add(byName.TryGetValue(name, out ulong value) ? value : 0UL);
                }

                return hash.Value;
            }
        }

        /// <summary>
        /// A file without its member bodies: a hash of what is left, the names it declares, and a hash
        /// of what it declares for every file (global usings, assembly attributes).
        /// </summary>
        private sealed class TreeSkeleton
        {
            private TreeSkeleton(ulong hash, ulong global, string[] declaredNames)
            {
                Hash = hash;
                Global = global;
                DeclaredNames = declaredNames;
            }

            public ulong Hash { get; }

            public ulong Global { get; }

            public string[] DeclaredNames { get; }

            public static TreeSkeleton Build(SyntaxTree tree)
            {
                var hash = Fnv.Start();
                var global = Fnv.Start();
                bool hasGlobal = false;
                var names = new HashSet<string>(StringComparer.Ordinal);
                hash.Add(tree.FilePath);

                // An explicit stack: a field initializer can nest deeper than the thread's stack allows.
                var pending = new Stack<SyntaxNodeOrToken>();
                pending.Push(tree.GetRoot());
                while (pending.Count > 0)
                {
                    var item = pending.Pop();
                    if (item.IsToken)
                    {
                        var token = item.AsToken();
                        hash.Add((ulong)token.RawKind);
                        hash.Add(token.Text);
                        continue;
                    }

                    var node = item.AsNode()!;
                    if (IsMemberBody(node))
                    {
                        continue;
                    }

                    if (DeclaredName(node) is { } declared)
                    {
                        names.Add(declared);
                    }

                    if (node is BaseNamespaceDeclarationSyntax ns)
                    {
                        names.UnionWith(NamespaceNames(ns));
                    }

                    if (node is UsingDirectiveSyntax { GlobalKeyword.RawKind: not 0 } or AttributeListSyntax { Target: not null, Parent: CompilationUnitSyntax })
                    {
                        global.Add(node.ToString());
                        hasGlobal = true;
                    }

                    var children = node.ChildNodesAndTokens();
                    for (int i = children.Count - 1; i >= 0; i--)
                    {
                        pending.Push(children[i]);
                    }
                }

                return new TreeSkeleton(hash.Value, hasGlobal ? global.Value : 0UL, names.ToArray());
            }

            /// <summary>Code that runs, which nothing outside it binds to.</summary>
            private static bool IsMemberBody(SyntaxNode node) =>
                node is GlobalStatementSyntax
                || (node is BlockSyntax or ArrowExpressionClauseSyntax
                    && node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax);

            private static string? DeclaredName(SyntaxNode node) => node switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
                DelegateDeclarationSyntax @delegate => @delegate.Identifier.ValueText,
                MethodDeclarationSyntax method => method.Identifier.ValueText,
                PropertyDeclarationSyntax property => property.Identifier.ValueText,
                EventDeclarationSyntax @event => @event.Identifier.ValueText,
                VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
                EnumMemberDeclarationSyntax member => member.Identifier.ValueText,
                ParameterSyntax parameter => parameter.Identifier.ValueText,
                TypeParameterSyntax typeParameter => typeParameter.Identifier.ValueText,
                UsingDirectiveSyntax { Alias: { } alias } => alias.Name.Identifier.ValueText,
                ExternAliasDirectiveSyntax externAlias => externAlias.Identifier.ValueText,
                _ => null,
            };
        }

        /// <summary>64-bit FNV-1a: cheap, and wide enough that two skeletons do not collide in practice.</summary>
        private struct Fnv
        {
            private const ulong Offset = 14695981039346656037UL;
            private const ulong Prime = 1099511628211UL;
            private ulong value;

            public static Fnv Start() => new() { value = Offset };

            public ulong Value => value;

            public void Add(ulong data)
            {
                for (int i = 0; i < 8; i++)
                {
                    value = unchecked((value ^ (data & 0xFF)) * Prime);
                    data >>= 8;
                }
            }

            public void Add(string text)
            {
                Add((ulong)text.Length);
                foreach (char c in text)
                {
                    value = unchecked((value ^ c) * Prime);
                }
            }
        }
    }
}
