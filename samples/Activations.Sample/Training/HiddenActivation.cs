namespace Activations.Sample.Training;

/// <summary>A generated forward kernel: destination[i] = g(z[i]).</summary>
internal delegate void ForwardKernel(ReadOnlySpan<float> z, Span<float> destination);

/// <summary>A generated fused backward kernel from the output: gradInput[i] = gradOutput[i]·g′ written through y[i].</summary>
internal delegate void BackwardFromOutputKernel(ReadOnlySpan<float> y, ReadOnlySpan<float> gradOutput, Span<float> gradInput);

/// <summary>A hidden-layer activation as the network uses it: only generated span kernels.</summary>
internal sealed record HiddenActivation(string Name, ForwardKernel Forward, BackwardFromOutputKernel BackwardFromOutput)
{
    /// <summary>
    /// The four compared. Each has a from-output form, so the backward pass needs only the layer's output,
    /// not its pre-activation.
    /// </summary>
    public static IReadOnlyList<HiddenActivation> Compared { get; } = new HiddenActivation[]
    {
        new("ReLU", Act.Relu, Act.ReluBackwardFromOutput),
        new("Leaky ReLU", Act.LeakyRelu, Act.LeakyReluBackwardFromOutput),
        new("tanh", Act.Tanh, Act.TanhBackwardFromOutput),
        new("sigmoid", Act.Sigmoid, Act.SigmoidBackwardFromOutput),
    };
}
