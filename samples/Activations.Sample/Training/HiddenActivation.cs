namespace Activations.Sample.Training;

/// <summary>A generated forward kernel: destination[i] = g(z[i]).</summary>
internal delegate void ForwardKernel(ReadOnlySpan<float> z, Span<float> destination);

/// <summary>A generated fused backward kernel from the output: gradInput[i] = gradOutput[i]·g′ written through y[i].</summary>
internal delegate void BackwardFromOutputKernel(ReadOnlySpan<float> y, ReadOnlySpan<float> gradOutput, Span<float> gradInput);

/// <summary>A hidden-layer activation as the network uses it: only generated span kernels.</summary>
/// <param name="Name">The name in tables and pictures.</param>
/// <param name="Forward">The generated forward span kernel.</param>
/// <param name="BackwardFromOutput">The generated backward span kernel from saved outputs.</param>
/// <param name="NoGradientBelowZero">
/// True where a unit with no positive pre-activation gets no gradient at all (ReLU: it is dead). For the others
/// such a unit still learns: Leaky ReLU keeps a slope, tanh and sigmoid only sit on one side of zero.
/// </param>
internal sealed record HiddenActivation(string Name, ForwardKernel Forward, BackwardFromOutputKernel BackwardFromOutput, bool NoGradientBelowZero = false)
{
    /// <summary>What a unit with no positive pre-activation on any training point is called for this activation.</summary>
    public string InactiveUnitsLabel => NoGradientBelowZero ? "dead units" : "units never > 0";

    /// <summary>
    /// The four compared. Each has a from-output form, so the backward pass needs only the layer's output,
    /// not its pre-activation.
    /// </summary>
    public static IReadOnlyList<HiddenActivation> Compared { get; } = new HiddenActivation[]
    {
        new("ReLU", Act.Relu, Act.ReluBackwardFromOutput, NoGradientBelowZero: true),
        new("Leaky ReLU", Act.LeakyRelu, Act.LeakyReluBackwardFromOutput),
        new("tanh", Act.Tanh, Act.TanhBackwardFromOutput),
        new("sigmoid", Act.Sigmoid, Act.SigmoidBackwardFromOutput),
    };
}
