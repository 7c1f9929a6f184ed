using System.Numerics.Tensors;

namespace Activations.Sample.Training;

/// <summary>
/// A multilayer perceptron 2 → hidden → hidden → 1 for binary classification: the hidden layers use one
/// <see cref="HiddenActivation"/>, the output is the generated sigmoid, the loss is binary cross-entropy.
/// Activations and their backward passes run only through generated span kernels; the linear layers use
/// <see cref="TensorPrimitives"/>.
/// </summary>
internal sealed class Network
{
    private readonly IActivationLayer firstActivation;
    private readonly IActivationLayer secondActivation;
    private readonly DenseLayer first;
    private readonly DenseLayer second;
    private readonly DenseLayer output;
    private readonly int capacity;

    // One buffer per quantity, sized for the largest batch: z is a pre-activation, a its activation.
    private readonly float[] z1, a1, z2, a2, logits, probabilities;
    private readonly float[] gradA1, gradZ1, gradA2, gradZ2, gradLogits;

    public Network(int hidden, HiddenActivation activation, Random random, int capacity)
    {
        firstActivation = activation.CreateLayer();
        secondActivation = activation.CreateLayer();
        this.capacity = capacity;
        first = new DenseLayer(2, hidden, random);
        second = new DenseLayer(hidden, hidden, random);
        output = new DenseLayer(hidden, 1, random);
        z1 = new float[capacity * hidden];
        a1 = new float[z1.Length];
        z2 = new float[z1.Length];
        a2 = new float[z1.Length];
        gradA1 = new float[z1.Length];
        gradZ1 = new float[z1.Length];
        gradA2 = new float[z1.Length];
        gradZ2 = new float[z1.Length];
        logits = new float[capacity];
        probabilities = new float[capacity];
        gradLogits = new float[capacity];
    }

    public int HiddenUnits => first.Outputs + second.Outputs;

    /// <summary>The two hidden activations' learned parameters (PReLU's slopes), or nulls.</summary>
    public (float? First, float? Second) LearnedParameters => (firstActivation.Parameter, secondActivation.Parameter);

    /// <summary>One SGD step on a batch; returns the batch's mean loss.</summary>
    public float TrainBatch(ReadOnlySpan<float> points, ReadOnlySpan<float> labels, int count, float learningRate)
    {
        Forward(points, count);
        int hidden = count * first.Outputs;
        var p = probabilities.AsSpan(0, count);
        var gradLogit = gradLogits.AsSpan(0, count);

        // For a sigmoid output with cross-entropy, ∂L/∂logit = p − t; averaged over the batch.
        TensorPrimitives.Subtract(p, labels[..count], gradLogit);
        TensorPrimitives.Multiply(gradLogit, 1f / count, gradLogit);

        output.Backward(a2, gradLogit, gradA2, count);
        secondActivation.Backward(z2.AsSpan(0, hidden), a2.AsSpan(0, hidden), gradA2.AsSpan(0, hidden), gradZ2.AsSpan(0, hidden));
        second.Backward(a1, gradZ2, gradA1, count);
        firstActivation.Backward(z1.AsSpan(0, hidden), a1.AsSpan(0, hidden), gradA1.AsSpan(0, hidden), gradZ1.AsSpan(0, hidden));
        first.Backward(points, gradZ1, Span<float>.Empty, count);

        first.Step(learningRate);
        second.Step(learningRate);
        firstActivation.Step(learningRate);
        secondActivation.Step(learningRate);
        output.Step(learningRate);
        return MeanLoss(logits.AsSpan(0, count), labels[..count]);
    }

    /// <summary>P(class 1) for each point.</summary>
    public void Predict(ReadOnlySpan<float> points, Span<float> destination)
    {
        for (int start = 0; start < destination.Length; start += capacity)
        {
            int count = Math.Min(capacity, destination.Length - start);
            Forward(points.Slice(2 * start, 2 * count), count);
            probabilities.AsSpan(0, count).CopyTo(destination.Slice(start, count));
        }
    }

    /// <summary>Mean loss and accuracy over a data set, without training.</summary>
    public (float Loss, float Accuracy) Evaluate(TwoSpirals data)
    {
        double loss = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            Forward(data.Points.AsSpan(2 * start, 2 * count), count);
            var labels = data.Labels.AsSpan(start, count);
            loss += MeanLoss(logits.AsSpan(0, count), labels) * count;
            for (int i = 0; i < count; i++)
            {
                correct += (probabilities[i] > 0.5f) == (labels[i] > 0.5f) ? 1 : 0;
            }
        }

        return ((float)(loss / data.Count), (float)correct / data.Count);
    }

    /// <summary>
    /// Hidden units whose pre-activation is positive on no point of <paramref name="data"/>: for ReLU
    /// their gradient is zero everywhere, so no update can bring them back.
    /// </summary>
    public int DeadUnits(TwoSpirals data)
    {
        var aliveFirst = new bool[first.Outputs];
        var aliveSecond = new bool[second.Outputs];
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            Forward(data.Points.AsSpan(2 * start, 2 * count), count);
            MarkPositive(z1, aliveFirst, count);
            MarkPositive(z2, aliveSecond, count);
        }

        return aliveFirst.Count(alive => !alive) + aliveSecond.Count(alive => !alive);

        static void MarkPositive(float[] preActivations, bool[] alive, int count)
        {
            for (int i = 0; i < count * alive.Length; i++)
            {
                alive[i % alive.Length] |= preActivations[i] > 0f;
            }
        }
    }

    private void Forward(ReadOnlySpan<float> points, int count)
    {
        int hidden = count * first.Outputs;
        first.Forward(points, z1, count);
        firstActivation.Forward(z1.AsSpan(0, hidden), a1.AsSpan(0, hidden));
        second.Forward(a1, z2, count);
        secondActivation.Forward(z2.AsSpan(0, hidden), a2.AsSpan(0, hidden));
        output.Forward(a2, logits, count);
        Act.Sigmoid(logits.AsSpan(0, count), probabilities.AsSpan(0, count));
    }

    /// <summary>Binary cross-entropy from the logit, in the form that cannot overflow: max(z, 0) − t·z + log(1 + e^−|z|).</summary>
    private static float MeanLoss(ReadOnlySpan<float> logit, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (int i = 0; i < logit.Length; i++)
        {
            float z = logit[i];
            sum += MathF.Max(z, 0f) - labels[i] * z + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));
        }

        return (float)(sum / logit.Length);
    }
}
