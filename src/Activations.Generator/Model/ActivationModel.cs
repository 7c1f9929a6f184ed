using Activations.Generator.Diagnostics;

namespace Activations.Generator.Model
{
    /// <summary>One containing type, as the generated partial declaration repeats it (<c>partial class Act&lt;T&gt;</c>).</summary>
    internal sealed record TypeDeclaration(string Keyword, string NameWithTypeParameters);

    /// <summary>Where generated members go: the namespace and the containing types, outermost first.</summary>
    internal sealed record TypeHierarchy(string? Namespace, EquatableArray<TypeDeclaration> Types, string FullyQualifiedName);

    /// <summary>What a parameter after the first is: passed through, learned (<c>[Learnable]</c>), or a second input (<c>[Input]</c>).</summary>
    internal enum ParameterRole
    {
        Hyperparameter,
        Learnable,
        Input,
    }

    /// <summary>A partial derivative ∂g/∂p for a learnable parameter or an input after the first.</summary>
    /// <param name="Index">The parameter's index among those after the first (its <see cref="Parameter.Index"/>).</param>
    /// <param name="Form">∂g/∂p as an expression in z and the parameters.</param>
    internal sealed record PartialDerivative(int Index, string ParameterName, ParameterRole Role, Expr Form)
    {
        /// <summary>∂g/∂p written through the output y (and the parameters), where y decides it: σ(a + b) has ∂/∂b = y(1 − y).</summary>
        public Expr? OutputForm { get; init; }

        /// <summary>The generated member's name after the activation's: <c>DerivativeWithRespectToAlpha</c>.</summary>
        public static string Suffix(string parameter) =>
            "DerivativeWithRespectTo" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);
    }

    /// <summary>The signature facts of an <c>[Activation]</c> method that emission needs.</summary>
    /// <param name="HyperparameterDefaults">
    /// Each hyperparameter's default value as the user wrote it, as C# source (<c>0.01f</c>), or an empty
    /// string where it has none; generated members repeat the defaults.
    /// </param>
    /// <param name="WantsSecondDerivative"><c>[Activation(SecondDerivative = true)]</c>: g″ is generated too.</param>
    internal sealed record ActivationSignature(
        TypeHierarchy Hierarchy,
        string Name,
        string Accessibility,
        bool IsDouble,
        string VariableName,
        EquatableArray<string> HyperparameterNames,
        EquatableArray<string> HyperparameterDefaults,
        bool WantsSecondDerivative = false)
    {
        public string ScalarType => IsDouble ? "double" : "float";

        /// <summary>
        /// What each parameter after the first is (index-aligned with <see cref="HyperparameterNames"/>), as
        /// <see cref="ParameterRole"/> values; empty where all are hyperparameters.
        /// </summary>
        public EquatableArray<int> Roles { get; init; } = EquatableArray<int>.Empty;

        /// <summary>The role of the parameter after the first at <paramref name="index"/>.</summary>
        public ParameterRole RoleOf(int index) => index < Roles.Count ? (ParameterRole)Roles[index] : ParameterRole.Hyperparameter;

        /// <summary>The indices (among <see cref="HyperparameterNames"/>) of the parameters with <paramref name="role"/>.</summary>
        public System.Collections.Generic.IEnumerable<int> IndicesOf(ParameterRole role) =>
            Enumerable.Range(0, HyperparameterNames.Count).Where(i => RoleOf(i) == role);

        /// <summary>The hyperparameters as trailing parameters, defaults included: <c>, float alpha = 1f</c>.</summary>
        public string HyperparameterDeclarations =>
            string.Concat(HyperparameterNames.Select((p, i) => $", {ScalarType} {p}" + (HyperparameterDefaults.Count > i && HyperparameterDefaults[i].Length > 0 ? " = " + HyperparameterDefaults[i] : string.Empty)));

        /// <summary>The hyperparameters as trailing arguments: <c>, alpha</c>.</summary>
        public string HyperparameterArguments => string.Concat(HyperparameterNames.Select(p => ", " + p));
    }

    /// <summary>
    /// The parse step's result for one method: its signature, its body as an expression (null when
    /// the body could not be parsed), the activations it calls and any diagnostics found.
    /// </summary>
    internal sealed record ParsedActivation(
        ActivationSignature Signature,
        ActivationRef Self,
        Expr? Body,
        EquatableArray<ActivationRef> Callees,
        EquatableArray<DiagnosticInfo> Diagnostics,
        LocationInfo? Location)
    {
        public bool CanGenerate => Body is not null && Diagnostics.Count == 0;

        /// <summary>The helpers with supplied derivatives that the body calls, directly or through other helpers.</summary>
        public EquatableArray<HelperInfo> Helpers { get; init; } = EquatableArray<HelperInfo>.Empty;

        /// <summary>The activation's own derivative, where the user supplied it.</summary>
        public SuppliedOverride? Override { get; init; }

        /// <summary>
        /// What the steps after parsing see: no location and no diagnostics (those are reported from this
        /// step's own values), so that an edit which only moves the method re-runs nothing after the parse.
        /// </summary>
        public ActivationSpec Spec => new(Signature, Self, Body, Callees, CanGenerate) { Helpers = Helpers, Override = Override };
    }

    /// <summary>A method the user wrote as a derivative (<c>[Derivative(nameof(F))]</c>) and its body, where the generator can read it.</summary>
    /// <param name="Name">The method's name.</param>
    /// <param name="Body">Its body as an expression in the function's parameters; null where it is outside the supported subset (then it is called).</param>
    internal sealed record SuppliedMethod(string Name, Expr? Body);

    /// <summary>An activation's derivatives as the user supplied them: the input form, the from-output form, or both.</summary>
    internal sealed record SuppliedOverride(SuppliedMethod? Derivative, SuppliedMethod? FromOutput);

    /// <summary>
    /// A plain method an activation calls that has a supplied derivative: scalar code calls it as written, the chain
    /// rule calls <see cref="Derivative"/>.
    /// </summary>
    /// <param name="Function">The helper, its <see cref="ActivationRef.DerivativeName"/> the supplied method's.</param>
    /// <param name="Body">Its body as an expression; null where it is outside the supported subset (kernels then call it lane by lane).</param>
    /// <param name="Derivative">The supplied derivative.</param>
    internal sealed record HelperInfo(ActivationRef Function, Expr? Body, SuppliedMethod Derivative);

    /// <summary>An activation as the derivation needs it, free of where it stands in the source.</summary>
    internal sealed record ActivationSpec(
        ActivationSignature Signature,
        ActivationRef Self,
        Expr? Body,
        EquatableArray<ActivationRef> Callees,
        bool CanGenerate)
    {
        /// <inheritdoc cref="ParsedActivation.Helpers"/>
        public EquatableArray<HelperInfo> Helpers { get; init; } = EquatableArray<HelperInfo>.Empty;

        /// <inheritdoc cref="ParsedActivation.Override"/>
        public SuppliedOverride? Override { get; init; }
    }

    /// <summary>What one activation needs to know of another that it calls (or of a helper), directly or not.</summary>
    internal sealed record CalleeInfo(string Key, Expr? Body, bool CanGenerate, EquatableArray<string> Callees)
    {
        /// <summary>Where the user supplied the derivative: the library uses it instead of deriving one from <see cref="Body"/>.</summary>
        public SuppliedMethod? SuppliedDerivative { get; init; }
    }

    /// <summary>An activation with the callees it reaches, ready to differentiate.</summary>
    internal sealed record ResolvedActivation(ActivationSpec Activation, EquatableArray<CalleeInfo> Callees);

    /// <summary>Where one activation stands and what its parse reported: the inputs of the diagnostics output.</summary>
    internal sealed record ActivationSite(string Key, bool HasBody, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// The derivative forms of one activation (the Derive step), then with its kernel plan (the Plan step).
    /// <paramref name="Diagnostics"/> are the problems found on the way (recursion, a callee that is skipped,
    /// an internal error), without a location: the diagnostics output places them on the method's declaration.
    /// </summary>
    /// <param name="Forward">The body, for the kernels' forward form; null when the method was skipped.</param>
    /// <param name="Derivative">g′ in the forms the emitter writes; null when the method was skipped.</param>
    /// <param name="Callees">The activations it reaches, which the kernels inline.</param>
    internal sealed record DerivedActivation(
        string Key,
        ActivationSignature Signature,
        string HintName,
        Expr? Forward,
        DerivativeForms? Derivative,
        EquatableArray<CalleeInfo> Callees,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>The span kernels to emit; null when the target has no spans (or before the Plan step).</summary>
        public KernelPlan? Kernels { get; init; }

        /// <summary>g″, where <see cref="ActivationSignature.WantsSecondDerivative"/> asked for it and it could be derived.</summary>
        public DerivativeForms? SecondDerivative { get; init; }

        /// <summary>∂g/∂p for every learnable parameter and input after the first, in parameter order.</summary>
        public EquatableArray<PartialDerivative> Partials { get; init; } = EquatableArray<PartialDerivative>.Empty;
    }

    /// <summary>One derivative of an activation (g′ or g″), in the forms the emitter writes.</summary>
    /// <param name="InputForm">The derivative as a function of z. When <paramref name="InputFormUsesOutput"/>, this is G(g(z)) inlined.</param>
    /// <param name="OutputForm">G with the derivative = G(g(z)), as a function of y (the variable); null when none is exact.</param>
    /// <param name="InputFormUsesOutput">True when the direct form overflows where G(g(z)) does not, so z's form calls the output form.</param>
    internal sealed record DerivativeForms(Expr InputForm, Expr? OutputForm, bool InputFormUsesOutput);

    /// <summary>
    /// Which kernels an activation gets and which forms they vectorise: decided by the Plan step, printed by
    /// the kernel emitter. A null form has no vector version (its span kernel runs lane by lane).
    /// </summary>
    internal sealed record KernelPlan(bool UseVectors, Expr? Forward, Expr? Derivative, Expr? OutputForm)
    {
        /// <summary>The vector form of g″ in z, where it is generated.</summary>
        public Expr? SecondDerivative { get; init; }

        /// <summary>The vector form of g″ in y, where g″ has an output form.</summary>
        public Expr? SecondDerivativeFromOutput { get; init; }

        /// <summary>The partial derivatives that have vector forms, each with its vector form.</summary>
        public EquatableArray<PartialDerivative> Partials { get; init; } = EquatableArray<PartialDerivative>.Empty;
    }

    /// <summary>The Source step's result: the generated file (null when the method was skipped) and every problem found.</summary>
    internal sealed record PrintedActivation(string Key, GeneratedSource? Source, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// Facts about the compilation that decide what is emitted, read once per compilation as values: spans
    /// for the batch API, and whether the vector kernels can run: Vector128/256/512 (.NET 8 and later) and
    /// the kernel runtime they call (<c>Activations.Kernels</c>, in the package's net8.0 assembly).
    /// Without either, the span members loop over the scalar method.
    /// </summary>
    internal sealed record TargetFacts(bool HasSpans, bool HasVectors, bool HasKernelRuntime)
    {
        /// <summary>The runtime type the vector kernels call; its presence means the package's net8.0 assembly is referenced.</summary>
        public const string KernelRuntimeType = "Activations.Kernels.Elementwise";

        public static TargetFacts From(Microsoft.CodeAnalysis.Compilation compilation) => new(
            compilation.GetTypeByMetadataName("System.Span`1") is not null
                && compilation.GetTypeByMetadataName("System.Runtime.InteropServices.MemoryMarshal") is not null
                && compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.Unsafe") is not null,
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null,
            compilation.GetTypeByMetadataName(KernelRuntimeType) is { DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Public });
    }

    /// <summary>One generated file.</summary>
    internal sealed record GeneratedSource(string HintName, string Text);
}
