namespace Activations.Generator.Diagnostics
{
    /// <summary>
    /// The diagnostic ids, as constants the code fixes share with the descriptors (one spelling of each id).
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string DeadNeuronRisk = "ACT001";
        public const string UnstableSpelling = "ACT002";
        public const string InvalidOption = "ACT003";
        public const string SuppliedDerivativeDisagrees = "ACT004";
        public const string InternalError = "ACT100";
        public const string UnsupportedConstruct = "ACT101";
        public const string UnsupportedCall = "ACT102";
        public const string Recursion = "ACT103";
        public const string InvalidMethodShape = "ACT104";
        public const string UnsupportedParameterType = "ACT105";
        public const string TypeNotPartial = "ACT106";
        public const string NameCollision = "ACT107";
        public const string ParameterAssigned = "ACT108";
        public const string NotAMethod = "ACT109";
        public const string CalleeNotGenerated = "ACT110";
        public const string HyperparameterDependsOnInput = "ACT111";
        public const string BodyTooLarge = "ACT112";
        public const string SecondDerivativeUnavailable = "ACT113";
        public const string InvalidSuppliedDerivative = "ACT114";
        public const string PartialDerivativeUnavailable = "ACT115";
    }
}
