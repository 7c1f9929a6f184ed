using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Activations.Generator.Diagnostics;
using Activations.Generator.Emit;
using Activations.Generator.Emit.Kernels;
using Activations.Generator.Model;
using Activations.Generator.Parsing;
using Activations.Generator.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.Generator
{
    /// <summary>
    /// The pipeline: parse each <c>[Activation]</c> method into an expression, resolve the activations it
    /// calls, differentiate and emit. Every value that crosses a step is an equatable record, so an edit
    /// elsewhere leaves every step cached.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ActivationGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    ActivationParser.AttributeMetadataName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => ActivationParser.Parse(ctx, ct))
                .WithTrackingName(StepNames.Parse);

            var specs = parsed
                .Select(static (a, _) => a.Spec)
                .WithTrackingName(StepNames.Spec);

            var calleeTable = specs
                .Collect()
                .Select(static (all, _) => all
                    .Select(a => new CalleeInfo(a.Self.Key, a.Body, a.CanGenerate, a.Callees.Select(c => c.Key).ToEquatableArray()))
                    // A method declared twice (CS0111) has one key: the compiler reports it, we keep one entry.
                    .GroupBy(c => c.Key, StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(c => c.Key, StringComparer.Ordinal)
                    .ToEquatableArray())
                .WithTrackingName(StepNames.CalleeTable);

            var resolved = specs
                .Combine(calleeTable)
                .Select(static (pair, _) => Resolve(pair.Left, pair.Right))
                .WithTrackingName(StepNames.ResolveCallees);

            var targetFacts = context.CompilationProvider
                .Select(static (compilation, _) => TargetFacts.From(compilation))
                .WithTrackingName(StepNames.TargetFacts);

            var derived = resolved
                .Combine(targetFacts)
                .Select(static (pair, ct) => Derive(pair.Left, pair.Right, ct))
                .WithTrackingName(StepNames.Derive);

            context.RegisterSourceOutput(targetFacts, static (spc, facts) =>
            {
                if (facts.HasSpans && facts.HasVectors)
                {
                    spc.AddSource(VectorMathSource.HintName, VectorMathSource.Text(facts.HasFusedMultiplyAdd, facts.HasAvx512Scale, facts.HasNativeMinMax));
                    spc.AddSource(KernelLoopsSource.HintName, KernelLoopsSource.Text(facts.AllowsUnsafe));
                }
            });

            var sources = derived
                .Select(static (d, _) => d.Source)
                .WithTrackingName(StepNames.Source);

            // Locations come from the parse step alone; what Derive found is placed on its method here, so a
            // method that only moved re-runs this cheap step and not the derivation.
            var sites = parsed
                .Select(static (a, _) => new ActivationSite(a.Self.Key, a.Body is not null, a.Location, a.Diagnostics))
                .Collect()
                .Select(static (all, _) => all.ToEquatableArray());
            var derivationProblems = derived
                .Where(static d => d.Diagnostics.Count > 0)
                .Select(static (d, _) => (d.Key, d.Diagnostics))
                .Collect()
                .Select(static (all, _) => all.ToEquatableArray());
            var diagnostics = sites
                .Combine(derivationProblems)
                .Select(static (pair, _) => PlaceDiagnostics(pair.Left, pair.Right))
                .WithTrackingName(StepNames.Diagnostics);

            context.RegisterSourceOutput(sources, static (spc, source) =>
            {
                if (source is null)
                {
                    return;
                }

                // Unique per activation: a second declaration of one signature (CS0111) is not generated (ActivationParser).
                spc.AddSource(source.HintName, source.Text);
            });

            // The compilation only supplies the trees the locations point into (cheap, and after the tracked steps).
            context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
            {
                var (list, compilation) = pair;
                if (list.Count == 0)
                {
                    return;
                }

                // Only paths that name one tree: two trees without a path must not trade locations.
                var trees = compilation.SyntaxTrees
                    .GroupBy(t => t.FilePath, StringComparer.Ordinal)
                    .Where(g => g.Key.Length > 0 && g.Count() == 1)
                    .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

                foreach (var diagnostic in list)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic(trees));
                }
            });
        }

        /// <summary>The parse diagnostics, then each derivation problem on the declaration its key names.</summary>
        internal static EquatableArray<DiagnosticInfo> PlaceDiagnostics(EquatableArray<ActivationSite> sites, EquatableArray<(string Key, EquatableArray<DiagnosticInfo> Diagnostics)> problems)
        {
            var placed = sites.SelectMany(site => site.Diagnostics).ToList();
            foreach (var (key, list) in problems)
            {
                // A repeated declaration (CS0111) has the key too; the one that was derived has the body.
                var site = sites.Where(s => s.Key == key).OrderBy(s => s.HasBody ? 0 : 1).FirstOrDefault();
                placed.AddRange(list.Select(d => d with { Location = site?.Location }));
            }

            return placed.ToEquatableArray();
        }

        /// <summary>Keeps only the callees this activation reaches, so other edits leave it unchanged.</summary>
        internal static ResolvedActivation Resolve(ActivationSpec activation, EquatableArray<CalleeInfo> table)
        {
            var byKey = table.ToDictionary(c => c.Key, StringComparer.Ordinal);
            var reached = new List<CalleeInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Queue<string>(activation.Callees.Select(c => c.Key));
            while (pending.Count > 0)
            {
                string key = pending.Dequeue();
                if (!seen.Add(key) || !byKey.TryGetValue(key, out var callee))
                {
                    continue;
                }

                reached.Add(callee);
                foreach (var next in callee.Callees)
                {
                    pending.Enqueue(next);
                }
            }

            return new ResolvedActivation(activation, reached.OrderBy(c => c.Key, StringComparer.Ordinal).ToEquatableArray());
        }

        internal static DerivedActivation Derive(ResolvedActivation resolved, TargetFacts facts, CancellationToken cancellationToken)
        {
            var activation = resolved.Activation;
            string hintName = HintName(activation);
            var diagnostics = new List<DiagnosticInfo>();
            var skipped = new DerivedActivation(activation.Self.Key, activation.Signature, hintName, null, null, false, EquatableArray<DiagnosticInfo>.Empty);
            if (!activation.CanGenerate)
            {
                return skipped;
            }

            string self = activation.Self.Key;
            var cycle = resolved.Callees.FirstOrDefault(c => c.Key == self || c.Callees.Contains(self));
            if (cycle is not null)
            {
                string through = cycle.Key == self ? activation.Callees.First().Key : cycle.Key;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Recursion, null, activation.Signature.Name, $" through '{NameOf(through)}'"));
                return skipped with { Diagnostics = diagnostics.ToEquatableArray() };
            }

            foreach (var callee in resolved.Callees.Where(c => !c.CanGenerate && activation.Callees.Any(d => d.Key == c.Key)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CalleeNotGenerated, null, activation.Signature.Name, NameOf(callee.Key)));
            }

            if (diagnostics.Count > 0)
            {
                return skipped with { Diagnostics = diagnostics.ToEquatableArray() };
            }

            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var library = new ActivationLibrary(resolved.Callees.Where(c => c.Body is not null).ToDictionary(c => c.Key, c => c.Body!, StringComparer.Ordinal));
                var body = activation.Body!;
                return DeepStack.Run(body, () =>
                {
                    var forms = DerivativeBuilder.Build(body, library);
                    var derived = new DerivedActivation(activation.Self.Key, activation.Signature, hintName, forms.InputForm, forms.OutputForm, forms.InputFormUsesOutput, EquatableArray<DiagnosticInfo>.Empty)
                    {
                        Kernels = facts.HasSpans ? PlanKernels(body, forms, library, facts) : null,
                    };
                    return derived with { Source = new GeneratedSource(hintName, ActivationEmitter.Emit(derived)) };
                });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The compiler must never see our exception: report it on the method and skip it.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, activation.Signature.Name, e.GetType().Name + ": " + e.Message));
                return skipped with { Diagnostics = diagnostics.ToEquatableArray() };
            }
        }

        /// <summary>Which kernels get a vector form: calls to other activations are inlined first.</summary>
        private static KernelPlan PlanKernels(Expr forward, DerivativeForms forms, ActivationLibrary library, TargetFacts facts)
        {
            Expr? Vectorizable(Expr? e)
            {
                var inlined = e is null ? null : ActivationInliner.Inline(e, library);
                return inlined is not null && VectorLowering.CanLower(inlined) ? inlined : null;
            }

            // The forward kernel gets the stable rewrites too: 0.5·z·(1 + tanh u) keeps its digits as z/(1 + e^(−2u)).
            return new KernelPlan(facts.HasVectors, Vectorizable(BranchPruner.Prune(Stabilizer.Stabilize(forward))), Vectorizable(forms.InputForm), Vectorizable(forms.OutputForm));
        }

        private static string NameOf(string key)
        {
            string beforeParameters = key.Substring(0, key.IndexOf('('));
            return beforeParameters.Substring(beforeParameters.LastIndexOf('.') + 1);
        }

        private static string HintName(ActivationSpec activation)
        {
            var s = activation.Signature;
            string type = s.Hierarchy.FullyQualifiedName.Replace("global::", string.Empty);
            var safe = new string(type.Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_').ToArray());
            return $"{safe}.{s.Name}.{s.ScalarType}{1 + s.HyperparameterNames.Count}.g.cs";
        }
    }
}
