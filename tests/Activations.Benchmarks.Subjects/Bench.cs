using System;
using Activations;

namespace Activations.Benchmarks;

/// <summary>The activations the kernel benchmarks run, written as a user would.</summary>
public static partial class Bench
{
    [Activation(SecondDerivative = true)] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    [Activation(SecondDerivative = true)] public static float Tanh(float z) => MathF.Tanh(z);

    [Activation] public static float Relu(float z) => MathF.Max(0f, z);

    [Activation] public static float LeakyRelu(float z) => z > 0f ? z : 0.01f * z;

    [Activation] public static float PRelu(float z, [Learnable] float alpha = 0.25f) => z > 0f ? z : alpha * z;

    [Activation] public static float SwiGlu(float gate, [Input] float up) => gate / (1f + MathF.Exp(-gate)) * up;
}
