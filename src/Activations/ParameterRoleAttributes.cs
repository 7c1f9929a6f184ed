using System;

namespace Activations
{
    /// <summary>
    /// Marks a parameter of an <see cref="ActivationAttribute"/> method, after the first, as a learnable parameter:
    /// a scalar such as PReLU's slope whose gradient training needs. The generator adds
    /// <c>NameDerivativeWithRespectTo{Parameter}</c> (∂g/∂parameter) and a backward pass that also returns
    /// ∂L/∂parameter = Σᵢ gradOutput[i]·∂g/∂parameter(zᵢ), summed in double.
    /// </summary>
    /// <example><c>[Activation] public static float PRelu(float z, [Learnable] float alpha = 0.25f) => z > 0f ? z : alpha * z;</c></example>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class LearnableAttribute : Attribute
    {
    }

    /// <summary>
    /// Marks a parameter of an <see cref="ActivationAttribute"/> method, after the first, as a second input: a span in
    /// the batch members, with its own gradient. The generator adds <c>NameDerivativeWithRespectTo{Parameter}</c> and
    /// span members that take one span per input, the backward pass writing every input's gradient in one pass.
    /// </summary>
    /// <example><c>[Activation] public static float SwiGlu(float gate, [Input] float up) => gate / (1f + MathF.Exp(-gate)) * up;</c></example>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class InputAttribute : Attribute
    {
    }
}
