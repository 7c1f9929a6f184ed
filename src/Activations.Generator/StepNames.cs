namespace Activations.Generator
{
    /// <summary>Tracking names of the pipeline steps, for incrementality tests and diagnostics.</summary>
    internal static class StepNames
    {
        public const string Parse = nameof(Parse);
        public const string Spec = nameof(Spec);
        public const string TargetFacts = nameof(TargetFacts);
        public const string CalleeTable = nameof(CalleeTable);
        public const string ResolveCallees = nameof(ResolveCallees);
        public const string Derive = nameof(Derive);
        public const string Plan = nameof(Plan);
        public const string Source = nameof(Source);
        public const string Diagnostics = nameof(Diagnostics);
    }
}
