namespace Activations.Sample;

/// <summary>One activation of <see cref="Act"/> with the members the generator added for it.</summary>
internal sealed record CatalogueEntry(string Name, Func<float, float> Forward, Func<float, float> Derivative, Func<float, float>? FromOutput);

/// <summary>Every activation in <c>Act.cs</c>, for printing and drawing.</summary>
internal static class Catalogue
{
    public static IReadOnlyList<CatalogueEntry> All { get; } = new CatalogueEntry[]
    {
        new("Sigmoid", Act.Sigmoid, Act.SigmoidDerivative, Act.SigmoidDerivativeFromOutput),
        new("Tanh", Act.Tanh, Act.TanhDerivative, Act.TanhDerivativeFromOutput),
        new("Relu", Act.Relu, Act.ReluDerivative, Act.ReluDerivativeFromOutput),
        new("LeakyRelu", Act.LeakyRelu, Act.LeakyReluDerivative, Act.LeakyReluDerivativeFromOutput),
        new("Elu", Act.Elu, Act.EluDerivative, Act.EluDerivativeFromOutput),
        new("Softplus", Act.Softplus, Act.SoftplusDerivative, null), // its stable spelling has no from-output form yet
        new("Swish", Act.Swish, Act.SwishDerivative, null),
        new("Gelu", Act.Gelu, Act.GeluDerivative, null),
        new("GeluExact", Act.GeluExact, Act.GeluExactDerivative, null), // Φ through a supplied derivative
        new("Mish", Act.Mish, Act.MishDerivative, null),
        new("HardTanh", Act.HardTanh, Act.HardTanhDerivative, Act.HardTanhDerivativeFromOutput),
        new("Relu6", Act.Relu6, Act.Relu6Derivative, Act.Relu6DerivativeFromOutput),
    };
}
