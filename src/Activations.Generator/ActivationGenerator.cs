using System.Globalization;
using Activations.Generator.Calculus;
using Activations.Generator.Diagnostics;
using Activations.Generator.Emit;
using Activations.Generator.Emit.Kernels;
using Activations.Generator.Parsing;
using Activations.Generator.Simplification;
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
                    static (ctx, ct) => ParseCache.GetOrParse(ctx, ct))
                .WithTrackingName(StepNames.Parse);

            var specs = parsed
                .Select(static (a, _) => a.Spec)
                .WithTrackingName(StepNames.Spec);

            var calleeTable = specs
                .Collect()
                .Select(static (all, _) => all
                    .Select(a => new CalleeInfo(a.Self.Key, a.Body, a.CanGenerate, a.Callees.Select(c => c.Key).ToEquatableArray()) { SuppliedDerivative = a.Override?.Derivative })
                    // Helpers with supplied derivatives: called as written, so always "generated"; what they call is
                    // among the callees of every activation that reaches them.
                    .Concat(all.SelectMany(a => a.Helpers).Select(h => new CalleeInfo(h.Function.Key, h.Body, true, EquatableArray<string>.Empty) { SuppliedDerivative = h.Derivative }))
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

            // Differentiate (target-independent), decide the kernels (needs the target), print: one job each.
            var derived = resolved
                .Select(static (r, ct) => Derive(r, ct))
                .WithTrackingName(StepNames.Derive);

            var planned = derived
                .Combine(targetFacts)
                .Select(static (pair, ct) => Plan(pair.Left, pair.Right, ct))
                .WithTrackingName(StepNames.Plan);

            var printed = planned
                .Select(static (p, ct) => Print(p, ct))
                .WithTrackingName(StepNames.Source);

            var sources = printed.Select(static (p, _) => p.Source);

            // Locations come from the parse step alone; what Derive found is placed on its method here, so a
            // method that only moved re-runs this cheap step and not the derivation.
            var sites = parsed
                .Select(static (a, _) => new ActivationSite(a.Self.Key, a.Body is not null, a.Location, a.Diagnostics))
                .Collect()
                .Select(static (all, _) => all.ToEquatableArray());
            var derivationProblems = printed
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

        internal static DerivedActivation Derive(ResolvedActivation resolved, CancellationToken cancellationToken)
        {
            var activation = resolved.Activation;
            string hintName = HintName(activation);
            var diagnostics = new List<DiagnosticInfo>();
            var skipped = new DerivedActivation(activation.Self.Key, activation.Signature, hintName, null, null, EquatableArray<CalleeInfo>.Empty, EquatableArray<DiagnosticInfo>.Empty);
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

            var body = activation.Body!;
            return Guarded(activation.Signature.Name, body, cancellationToken,
                () =>
                {
                    int size = ExprRewriter.Subexpressions(body).Count();
                    if (size > MaxBodySize)
                    {
                        var tooLarge = DiagnosticInfo.Create(DiagnosticDescriptors.BodyTooLarge, null, activation.Signature.Name, size.ToString("N0", CultureInfo.InvariantCulture), MaxBodySize.ToString("N0", CultureInfo.InvariantCulture));
                        return skipped with { Diagnostics = new[] { tooLarge }.ToEquatableArray() };
                    }

                    // The activation itself is in its library when the user supplied its derivative, which may call it.
                    var callees = activation.Override is null
                        ? resolved.Callees
                        : resolved.Callees.Append(new CalleeInfo(self, body, true, EquatableArray<string>.Empty) { SuppliedDerivative = activation.Override.Derivative }).ToEquatableArray();
                    var library = LibraryOf(callees);
                    var derivative = activation.Override is { } supplied
                        ? DerivativeBuilder.BuildSupplied(body, supplied, activation.Self, activation.Signature.HyperparameterNames, library)
                        : DerivativeBuilder.Build(body, library);
                    var derived = new DerivedActivation(activation.Self.Key, activation.Signature, hintName, body, derivative, callees, EquatableArray<DiagnosticInfo>.Empty);
                    var partials = new List<PartialDerivative>();
                    foreach (int index in activation.Signature.IndicesOf(ParameterRole.Learnable).Concat(activation.Signature.IndicesOf(ParameterRole.Input)).OrderBy(i => i))
                    {
                        string name = activation.Signature.HyperparameterNames[index];
                        if (PartialDerivatives.Build(body, index, name, activation.Signature.RoleOf(index), library, out string? problem) is { } partial)
                        {
                            partials.Add(partial);
                        }
                        else
                        {
                            var unavailable = DiagnosticInfo.Create(DiagnosticDescriptors.PartialDerivativeUnavailable, null, activation.Signature.Name, name, problem!);
                            return skipped with { Diagnostics = new[] { unavailable }.ToEquatableArray() };
                        }
                    }

                    derived = derived with { Partials = partials.ToEquatableArray() };
                    if (!activation.Signature.WantsSecondDerivative)
                    {
                        return derived;
                    }

                    ActivationRef? missing = null;
                    DerivativeForms? second = activation.Override?.Derivative is { } suppliedFirst
                        ? suppliedFirst.Body is { } first ? DerivativeBuilder.BuildSecond(body, first, library, out missing) : null
                        : DerivativeBuilder.BuildSecond(body, library, out missing);
                    if (second is not null)
                    {
                        return derived with { SecondDerivative = second };
                    }

                    string reason = missing is null
                        ? $"its derivative is supplied by '{activation.Override!.Derivative!.Name}', whose body is outside the subset the generator can differentiate"
                        : HelperOf(callees, missing) is { } helper
                            ? $"it calls '{missing.Name}', whose supplied derivative '{helper.SuppliedDerivative!.Name}' has a body outside the subset the generator can differentiate"
                            : $"it calls '{missing.Name}', whose derivative has no body in this compilation to differentiate";
                    var unavailableSecond = DiagnosticInfo.Create(DiagnosticDescriptors.SecondDerivativeUnavailable, null, activation.Signature.Name, reason);
                    return derived with { Diagnostics = new[] { unavailableSecond }.ToEquatableArray() };
                },
                problem => skipped with { Diagnostics = new[] { problem }.ToEquatableArray() });
        }

        /// <summary>
        /// A body with more distinct subexpressions than this is not derived (ACT112). Generated code and time
        /// grow linearly with the body, but steeply: a 20-local body (165 nodes) gives 72 k characters, 140 locals
        /// (about 1,000 nodes) half a megabyte in 0.5 s, all of it bound again by the compiler on every build.
        /// The catalogue's bodies have 2 to 13 nodes. Splitting a long body into activations that call each
        /// other is the compact form: the chain rule calls each one's own generated derivative.
        /// </summary>
        internal const int MaxBodySize = 1_000;

        /// <summary>The Plan step: which span kernels, and which forms get vector code on this target.</summary>
        internal static DerivedActivation Plan(DerivedActivation derived, TargetFacts facts, CancellationToken cancellationToken)
        {
            if (derived.Forward is not { } forward || !facts.HasSpans)
            {
                return derived;
            }

            return Guarded(derived.Signature.Name, forward, cancellationToken,
                () => derived with { Kernels = PlanKernels(forward, derived.Derivative!, derived.SecondDerivative, derived.Partials, LibraryOf(derived.Callees), facts) },
                problem => derived with { Forward = null, Diagnostics = derived.Diagnostics.Append(problem).ToEquatableArray() });
        }

        /// <summary>The Source step: prints what the earlier steps decided; it decides nothing itself.</summary>
        internal static PrintedActivation Print(DerivedActivation planned, CancellationToken cancellationToken)
        {
            var skipped = new PrintedActivation(planned.Key, null, planned.Diagnostics);
            if (planned.Forward is not { } forward)
            {
                return skipped;
            }

            return Guarded(planned.Signature.Name, forward, cancellationToken,
                () => new PrintedActivation(planned.Key, new GeneratedSource(planned.HintName, ActivationEmitter.Emit(planned)), planned.Diagnostics),
                problem => skipped with { Diagnostics = planned.Diagnostics.Append(problem).ToEquatableArray() });
        }

        /// <summary>
        /// Runs one step's work on a stack deep enough for the body. The compiler must never see our exception:
        /// an internal error becomes a diagnostic on the method (placed later), and the method is skipped.
        /// </summary>
        private static T Guarded<T>(string method, Expr body, CancellationToken cancellationToken, Func<T> work, Func<DiagnosticInfo, T> failed)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return DeepStack.Run(body, work);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return failed(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, method, e.GetType().Name + ": " + e.Message));
            }
        }

        private static CalleeInfo? HelperOf(EquatableArray<CalleeInfo> callees, ActivationRef target) =>
            callees.FirstOrDefault(c => c.Key == target.Key && c.SuppliedDerivative is not null);

        private static ActivationLibrary LibraryOf(EquatableArray<CalleeInfo> callees) =>
            new(callees.Where(c => c.Body is not null).ToDictionary(c => c.Key, c => c.Body!, StringComparer.Ordinal),
                callees.Where(c => c.SuppliedDerivative is not null).ToDictionary(c => c.Key, c => c.SuppliedDerivative!.Body, StringComparer.Ordinal));

        /// <summary>
        /// Which kernels get a vector form: calls to other activations are inlined first, then every form gets
        /// the stable rewrites, the forward one included (0.5·z·(1 + tanh u) keeps its digits as
        /// z/(1 + e^(−2u)), and ln(1 + e^z) stays finite for large z). The scalar methods keep their form.
        /// </summary>
        private static KernelPlan PlanKernels(Expr forward, DerivativeForms derivative, DerivativeForms? secondDerivative, EquatableArray<PartialDerivative> partials, ActivationLibrary library, TargetFacts facts)
        {
            Expr? Vectorizable(Expr? e)
            {
                // Inline returns null where a callee has no body to inline: that form keeps the scalar loop.
                var inlined = e is null ? null : ActivationInliner.Inline(e, library);
                var stable = inlined is null ? null : BranchPruner.Prune(Stabilizer.StabilizeForKernels(inlined));
                return stable is not null && VectorLowering.CanLower(stable) ? stable : null;
            }

            return new KernelPlan(facts.HasVectors && facts.HasKernelRuntime, Vectorizable(forward), Vectorizable(derivative.InputForm), Vectorizable(derivative.OutputForm))
            {
                SecondDerivative = Vectorizable(secondDerivative?.InputForm),
                SecondDerivativeFromOutput = Vectorizable(secondDerivative?.OutputForm),
                Partials = partials.Select(p => Vectorizable(p.Form) is { } vector ? p with { Form = vector } : null)
                    .Where(p => p is not null).Select(p => p!).ToEquatableArray(),
            };
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
