using Microsoft.CodeAnalysis;

namespace Activations.Generator.Diagnostics
{
    /// <summary>Every diagnostic the generator reports. Pages: docs/diagnostics/ACTnnn.md.</summary>
    internal static class DiagnosticDescriptors
    {
        public const string Category = "Activations";

        private const string HelpRoot = "https://github.com/activations/activations/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor DeadNeuronRisk = new(
            "ACT001",
            "The gradient is zero on a half-line (dead-neuron risk)",
            "The derivative of '{0}' is zero {1}: neurons whose inputs settle there get no gradient and stop learning; consider a leaky slope such as {2}",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Decided from the generated derivative: on an unbounded interval it is identically zero.",
            helpLinkUri: HelpRoot + "ACT001.md");

        public static readonly DiagnosticDescriptor InternalError = Create(
            "ACT100",
            "The generator failed on an activation",
            "The Activations generator failed on '{0}' and skipped it: {1}. Please report this with the method's source.");

        public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
            "ACT101",
            "Construct not supported in an activation",
            "{0} is not supported in the body of activation '{1}'; it was not differentiated");

        public static readonly DiagnosticDescriptor UnsupportedCall = Create(
            "ACT102",
            "Call not supported in an activation",
            "The call to '{0}' is not supported in activation '{1}': only Math/MathF Exp, Log, Sqrt, Pow, Tanh, Sinh, Cosh, Sin, Cos, Atan, Abs, Max, Min, Clamp, Sign and other [Activation] methods can be differentiated");

        public static readonly DiagnosticDescriptor Recursion = Create(
            "ACT103",
            "Activation calls itself",
            "Activation '{0}' calls itself, directly or through '{1}'; recursion cannot be differentiated");

        public static readonly DiagnosticDescriptor InvalidMethodShape = Create(
            "ACT104",
            "An activation must be a static, non-generic method with a body",
            "Activation '{0}' must be {1}");

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Create(
            "ACT105",
            "Activation parameters and result must be float or double",
            "{0} of activation '{1}' must be {2}");

        public static readonly DiagnosticDescriptor TypeNotPartial = Create(
            "ACT106",
            "The type containing an activation must be partial",
            "Type '{0}' must be declared 'partial' so that the derivatives of '{1}' can be generated into it");

        public static readonly DiagnosticDescriptor NameCollision = Create(
            "ACT107",
            "A generated member name is already taken",
            "Cannot generate '{0}' for activation '{1}': type '{2}' already has a member with that name and signature");

        public static readonly DiagnosticDescriptor ParameterAssigned = Create(
            "ACT108",
            "An activation assigns to a parameter",
            "Activation '{0}' assigns to parameter '{1}'; use a local variable instead");

        public static readonly DiagnosticDescriptor CalleeNotGenerated = Create(
            "ACT110",
            "A called activation has no generated derivative",
            "Activation '{0}' calls '{1}', whose derivative could not be generated; fix '{1}' first");

        public static readonly DiagnosticDescriptor HyperparameterDependsOnInput = Create(
            "ACT111",
            "A hyperparameter argument depends on the input",
            "Activation '{0}' passes an expression that depends on '{1}' as hyperparameter '{2}' of '{3}'; only the first argument may depend on the input");

        private static DiagnosticDescriptor Create(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
    }
}
