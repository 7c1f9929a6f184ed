using Microsoft.CodeAnalysis;

namespace Activations.Generator.Diagnostics
{
    /// <summary>Every diagnostic the generator reports. Pages: docs/diagnostics/ACTnnn.md.</summary>
    internal static class DiagnosticDescriptors
    {
        public const string Category = "Activations";

        /// <summary>
        /// The help pages: docs/diagnostics in the repository the package names (its RepositoryUrl, set once in
        /// Directory.Build.props and stamped into this assembly). The same pages ship inside the package.
        /// </summary>
        private static readonly string HelpRoot = RepositoryUrl() + "/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor DeadNeuronRisk = Warning(
            DiagnosticIds.DeadNeuronRisk,
            "The gradient is zero on a half-line (dead-neuron risk)",
            "The derivative of '{0}' is zero {1}: neurons whose inputs settle there get no gradient and stop learning; consider a leaky slope such as {2}",
            "Decided from the generated derivative: on an unbounded interval it is identically zero.");

        public static readonly DiagnosticDescriptor UnstableSpelling = Warning(
            DiagnosticIds.UnstableSpelling,
            "The scalar body is not finite where its true value is",
            "'{0}' {1} for {2}, where its true value is finite ({3})",
            "Found by evaluating each subexpression in the method's element type over [−1000, 1000] against its stable form; the code fix writes that form in place of the subexpression.");

        public static readonly DiagnosticDescriptor InternalError = Error(
            DiagnosticIds.InternalError,
            "The generator failed on an activation",
            "The Activations generator failed on '{0}' and skipped it: {1}. Please report this with the method's source.");

        public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
            DiagnosticIds.UnsupportedConstruct,
            "Construct not supported in an activation",
            "{0} is not supported in the body of activation '{1}'; it was not differentiated");

        public static readonly DiagnosticDescriptor UnsupportedCall = Error(
            DiagnosticIds.UnsupportedCall,
            "Call not supported in an activation",
            "The call to '{0}' is not supported in activation '{1}': only Math/MathF " + Parsing.SupportedCalls.List + " and other [Activation] methods can be differentiated");

        public static readonly DiagnosticDescriptor Recursion = Error(
            DiagnosticIds.Recursion,
            "Activation calls itself",
            "Activation '{0}' calls itself{1}; recursion cannot be differentiated");

        public static readonly DiagnosticDescriptor InvalidMethodShape = Error(
            DiagnosticIds.InvalidMethodShape,
            "An activation must be a static, non-generic method with a body",
            "Activation '{0}' must be {1}");

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
            DiagnosticIds.UnsupportedParameterType,
            "Activation parameters and result must be float or double",
            "{0} of activation '{1}' must be {2}");

        public static readonly DiagnosticDescriptor TypeNotPartial = Error(
            DiagnosticIds.TypeNotPartial,
            "The type containing an activation must be partial",
            "Type '{0}' must be declared 'partial' so that the derivatives of '{1}' can be generated into it");

        public static readonly DiagnosticDescriptor NameCollision = Error(
            DiagnosticIds.NameCollision,
            "A generated member name is already taken",
            "Cannot generate '{0}' for activation '{1}': type '{2}' already has a member with that name and signature");

        public static readonly DiagnosticDescriptor ParameterAssigned = Error(
            DiagnosticIds.ParameterAssigned,
            "An activation assigns to a parameter",
            "Activation '{0}' assigns to parameter '{1}'; use a local variable instead");

        public static readonly DiagnosticDescriptor NotAMethod = Error(
            DiagnosticIds.NotAMethod,
            "[Activation] on something other than a method declaration",
            "[Activation] on {0} has no effect: only a static method declared in a partial type can be an activation; declare '{1}' as such a method");

        public static readonly DiagnosticDescriptor CalleeNotGenerated = Error(
            DiagnosticIds.CalleeNotGenerated,
            "A called activation has no generated derivative",
            "Activation '{0}' calls '{1}', whose derivative could not be generated; fix '{1}' first");

        public static readonly DiagnosticDescriptor HyperparameterDependsOnInput = Error(
            DiagnosticIds.HyperparameterDependsOnInput,
            "A hyperparameter argument depends on the input",
            "Activation '{0}' passes an expression that depends on '{1}' as hyperparameter '{2}' of '{3}'; only the first argument may depend on the input");

        public static readonly DiagnosticDescriptor InvalidOption = Warning(
            DiagnosticIds.InvalidOption,
            "An Activations option in .editorconfig has an invalid value",
            "The value '{0}' of {1} that applies to '{2}' is not {3}; {4} is used instead");

        public static readonly DiagnosticDescriptor BodyTooLarge = Warning(
            DiagnosticIds.BodyTooLarge,
            "The activation's body is too large to differentiate",
            "The body of '{0}' has {1} distinct subexpressions, more than {2}: its derivative and kernels would be hundreds of kilobytes of generated code, so nothing was generated for it; move parts of the body into [Activation] methods that it calls",
            "The chain rule calls a called activation's own generated derivative, so a long body split into activations that call each other is derived piece by piece, each piece once.");

        public static readonly DiagnosticDescriptor SecondDerivativeUnavailable = Warning(
            DiagnosticIds.SecondDerivativeUnavailable,
            "The second derivative cannot be generated",
            "The second derivative of '{0}' was asked for but is not generated: {1}; its first derivative and kernels are generated as usual");

        public static readonly DiagnosticDescriptor SuppliedDerivativeDisagrees = Warning(
            DiagnosticIds.SuppliedDerivativeDisagrees,
            "A supplied derivative disagrees with its function",
            "'{0}' is supplied as the {1}derivative of '{2}' but disagrees with central differences of '{2}': {3}",
            "Checked where both bodies are in the supported subset, at a few points away from breakpoints, with hyperparameters at their defaults (or 1).");

        public static readonly DiagnosticDescriptor InvalidSuppliedDerivative = Error(
            DiagnosticIds.InvalidSuppliedDerivative,
            "A [Derivative] method does not supply a derivative",
            "[Derivative(\"{0}\")] on '{1}' is not used: {2}");

        public static readonly DiagnosticDescriptor PartialDerivativeUnavailable = Error(
            DiagnosticIds.PartialDerivativeUnavailable,
            "A partial derivative cannot be generated",
            "The derivative of '{0}' with respect to '{1}' cannot be generated: {2}");

        /// <summary>Every descriptor by id, for turning a <see cref="DiagnosticInfo"/> back into a diagnostic.</summary>
        public static readonly System.Collections.Generic.IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
        {
            DeadNeuronRisk, InvalidOption, InternalError, UnsupportedConstruct, UnsupportedCall, Recursion, InvalidMethodShape,
            UnsupportedParameterType, TypeNotPartial, NameCollision, ParameterAssigned, NotAMethod, CalleeNotGenerated, HyperparameterDependsOnInput,
            BodyTooLarge, SecondDerivativeUnavailable, PartialDerivativeUnavailable, UnstableSpelling, SuppliedDerivativeDisagrees, InvalidSuppliedDerivative,
        }.ToDictionary(d => d.Id);

        private static string RepositoryUrl() =>
            typeof(DiagnosticDescriptors).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .OfType<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/')
            ?? "https://github.com/activations/activations";

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

        /// <param name="description">What the warning is decided from, shown with it in the IDE.</param>
        private static DiagnosticDescriptor Warning(string id, string title, string message, string? description = null) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: description, helpLinkUri: HelpRoot + id + ".md");
    }
}
