namespace Activations.Sample.Training;

/// <summary>A generated forward kernel: destination[i] = g(z[i]).</summary>
internal delegate void ForwardKernel(ReadOnlySpan<float> z, Span<float> destination);

/// <summary>A generated fused backward kernel from the output: gradInput[i] = gradOutput[i]·g′ written through y[i].</summary>
internal delegate void BackwardFromOutputKernel(ReadOnlySpan<float> y, ReadOnlySpan<float> gradOutput, Span<float> gradInput);

/// <summary>
/// One hidden layer's activation as the network runs it: forward on the layer's pre-activations, backward to their
/// gradient, and for an activation that learns, the update of its parameter.
/// </summary>
internal interface IActivationLayer
{
    void Forward(ReadOnlySpan<float> z, Span<float> a);

    /// <summary>gradZ from gradA; z and a are this layer's pre-activations and outputs from the forward pass.</summary>
    void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ);

    /// <summary>One SGD step on the activation's own parameter, if it has one.</summary>
    void Step(float learningRate);

    /// <summary>The learned parameter's current value, or null for an activation without one.</summary>
    float? Parameter { get; }
}

/// <summary>A hidden-layer activation as the network uses it: only generated span kernels.</summary>
/// <param name="Name">The name in tables and pictures.</param>
/// <param name="CreateLayer">A fresh layer state (a learnable parameter is one per layer).</param>
/// <param name="NoGradientBelowZero">
/// True where a unit with no positive pre-activation gets no gradient at all (ReLU: it is dead). For the others
/// such a unit still learns: Leaky ReLU and PReLU keep a slope, tanh and sigmoid only sit on one side of zero.
/// </param>
internal sealed record HiddenActivation(string Name, Func<IActivationLayer> CreateLayer, bool NoGradientBelowZero = false)
{
    /// <summary>What a unit with no positive pre-activation on any training point is called for this activation.</summary>
    public string InactiveUnitsLabel => NoGradientBelowZero ? "dead units" : "units never > 0";

    /// <summary>
    /// The five compared. Four have a from-output form, so their backward pass needs only the layer's output; PReLU's
    /// slope is learned, through the generated backward that returns ∂L/∂alpha in the same pass.
    /// </summary>
    public static IReadOnlyList<HiddenActivation> Compared { get; } = new HiddenActivation[]
    {
        FromOutput("ReLU", Act.Relu, Act.ReluBackwardFromOutput, noGradientBelowZero: true),
        FromOutput("Leaky ReLU", Act.LeakyRelu, Act.LeakyReluBackwardFromOutput),
        new("PReLU", () => new PReluLayer(PReluLayer.InitialSlope)),
        FromOutput("tanh", Act.Tanh, Act.TanhBackwardFromOutput),
        FromOutput("sigmoid", Act.Sigmoid, Act.SigmoidBackwardFromOutput),
    };

    private static HiddenActivation FromOutput(string name, ForwardKernel forward, BackwardFromOutputKernel backward, bool noGradientBelowZero = false)
    {
        var layer = new FromOutputLayer(forward, backward); // stateless: one serves every layer
        return new HiddenActivation(name, () => layer, noGradientBelowZero);
    }

    /// <summary>An activation without parameters whose backward pass reads the layer's output.</summary>
    private sealed class FromOutputLayer(ForwardKernel forward, BackwardFromOutputKernel backward) : IActivationLayer
    {
        public float? Parameter => null;

        public void Forward(ReadOnlySpan<float> z, Span<float> a) => forward(z, a);

        public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ) => backward(a, gradA, gradZ);

        public void Step(float learningRate)
        {
        }
    }
}

/// <summary>
/// PReLU with its slope learned: <see cref="Act.PRelu(float, float)"/>'s generated backward writes gradZ and returns
/// ∂L/∂alpha = Σ gradA·∂g/∂alpha in the same pass, and <see cref="Step"/> moves alpha against it.
/// </summary>
internal sealed class PReluLayer(float slope) : IActivationLayer
{
    /// <summary>The slope PReLU's authors start from.</summary>
    public const float InitialSlope = 0.25f;

    private float gradSlope;

    public float? Parameter => slope;

    public void Forward(ReadOnlySpan<float> z, Span<float> a) => Act.PRelu(z, a, slope);

    public void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ) =>
        gradSlope = Act.PReluBackwardWithParameterGradient(z, gradA, gradZ, slope);

    public void Step(float learningRate) => slope -= learningRate * gradSlope;
}
