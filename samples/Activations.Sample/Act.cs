using Activations;

namespace Activations.Sample;

/// <summary>
/// Activation functions written once, as plain scalar C#. The generator adds <c>NameDerivative</c> and,
/// where it is exact, <c>NameDerivativeFromOutput</c> to this class.
/// </summary>
public static partial class Act
{
    // The four of the tutorial this project grew from.
    [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    [Activation] public static float Tanh(float z) => MathF.Tanh(z);

    [Activation] public static float Relu(float z) => MathF.Max(0f, z);

    [Activation] public static float LeakyRelu(float z) => z > 0f ? z : 0.01f * z;

    /// <summary>PReLU: Leaky ReLU whose slope is learned ([Learnable] adds ∂/∂alpha and a backward that returns its gradient).</summary>
    [Activation] public static float PRelu(float z, [Learnable] float alpha = 0.25f) => z > 0f ? z : alpha * z;

    // A few more.
    [Activation] public static float Elu(float z) => z > 0f ? z : MathF.Exp(z) - 1f;

    // Softplus as log(1 + e^z) overflows to ∞ for z > 88.7 in float (the true value there is z), so it is
    // written the stable way: max(z, 0) + log(1 + e^−|z|), the same function for every z.
    [Activation] public static float Softplus(float z) => MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));

    [Activation] public static float Swish(float z) => z * Sigmoid(z);

    [Activation]
    public static float Gelu(float z)
    {
        const float SqrtTwoOverPi = 0.7978845608f;
        float inner = SqrtTwoOverPi * (z + 0.044715f * z * z * z);
        return 0.5f * z * (1f + MathF.Tanh(inner));
    }

    // Mish's inner softplus as ACT002's code fix writes it: ln(1 + e^z) spelled so that e^z never overflows
    // (written MathF.Log(1f + MathF.Exp(z)), it is ∞ for z > 88.7 and the build warns).
    [Activation]
    public static float Mish(float z) => z * MathF.Tanh(z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z)));

    // ReLU, hard-tanh and ReLU6 have a zero gradient on whole half-lines: each gets the ACT001 warning
    // when the sample builds, on purpose (three warnings), to show what it says.
    [Activation] public static float HardTanh(float z) => Math.Clamp(z, -1f, 1f);

    [Activation] public static float Relu6(float z) => MathF.Min(MathF.Max(0f, z), 6f);
}
