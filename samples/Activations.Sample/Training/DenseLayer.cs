using System.Numerics.Tensors;

namespace Activations.Sample.Training;

/// <summary>
/// A fully connected layer, z = x·W + b. W is stored input-major, so input i adds its row of W scaled by
/// x[i]: every step is one <see cref="TensorPrimitives"/> call over a row.
/// </summary>
internal sealed class DenseLayer
{
    private readonly float[] weights;
    private readonly float[] bias;
    private readonly float[] weightGradient;
    private readonly float[] biasGradient;

    /// <summary>Glorot-uniform weights, zero biases.</summary>
    public DenseLayer(int inputs, int outputs, Random random)
    {
        Inputs = inputs;
        Outputs = outputs;
        weights = new float[inputs * outputs];
        bias = new float[outputs];
        weightGradient = new float[weights.Length];
        biasGradient = new float[outputs];
        float limit = MathF.Sqrt(6f / (inputs + outputs));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (2f * (float)random.NextDouble() - 1f) * limit;
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>z = x·W + b for <paramref name="count"/> rows.</summary>
    public void Forward(ReadOnlySpan<float> x, Span<float> z, int count)
    {
        for (int row = 0; row < count; row++)
        {
            var zRow = z.Slice(row * Outputs, Outputs);
            bias.CopyTo(zRow);
            var xRow = x.Slice(row * Inputs, Inputs);
            for (int i = 0; i < Inputs; i++)
            {
                TensorPrimitives.MultiplyAdd(Weights(i), xRow[i], zRow, zRow);
            }
        }
    }

    /// <summary>
    /// Adds this batch's ∂L/∂W and ∂L/∂b to the gradients and writes ∂L/∂x, unless
    /// <paramref name="gradInput"/> is empty (the first layer needs none).
    /// </summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gradOutput, Span<float> gradInput, int count)
    {
        for (int row = 0; row < count; row++)
        {
            var gRow = gradOutput.Slice(row * Outputs, Outputs);
            TensorPrimitives.Add(biasGradient, gRow, biasGradient);
            var xRow = x.Slice(row * Inputs, Inputs);
            for (int i = 0; i < Inputs; i++)
            {
                var wGrad = weightGradient.AsSpan(i * Outputs, Outputs);
                TensorPrimitives.MultiplyAdd(gRow, xRow[i], wGrad, wGrad);
                if (!gradInput.IsEmpty)
                {
                    gradInput[row * Inputs + i] = TensorPrimitives.Dot(Weights(i), gRow);
                }
            }
        }
    }

    /// <summary>One plain SGD step, then the gradients start again from zero.</summary>
    public void Step(float learningRate)
    {
        TensorPrimitives.MultiplyAdd(weightGradient, -learningRate, weights, weights);
        TensorPrimitives.MultiplyAdd(biasGradient, -learningRate, bias, bias);
        Array.Clear(weightGradient);
        Array.Clear(biasGradient);
    }

    private Span<float> Weights(int input) => weights.AsSpan(input * Outputs, Outputs);
}
