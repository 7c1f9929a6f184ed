namespace Activations.Sample.Training;

/// <summary>
/// Two interleaved spirals in the plane, one per class: a toy problem no linear model can solve and a
/// small MLP can, made here from a seed so every run sees the same points.
/// </summary>
internal sealed class TwoSpirals
{
    private TwoSpirals(float[] points, float[] labels)
    {
        Points = points;
        Labels = labels;
    }

    /// <summary>Row-major (x, y) pairs, inside about [−3, 3]².</summary>
    public float[] Points { get; }

    /// <summary>0 or 1, one per point.</summary>
    public float[] Labels { get; }

    public int Count => Labels.Length;

    /// <param name="perClass">Points on each spiral.</param>
    /// <param name="noise">Standard deviation of the Gaussian jitter added to each coordinate.</param>
    /// <param name="random">The seeded source of the angles and the jitter.</param>
    public static TwoSpirals Generate(int perClass, float noise, Random random)
    {
        const float Turns = 1.75f;

        // Inputs of a few units: with Glorot weights, points inside [−1, 1]² leave tanh units in their
        // linear part, where plain SGD sits on a plateau for hundreds of epochs.
        const float Scale = 3f;
        var points = new float[perClass * 2 * 2];
        var labels = new float[perClass * 2];
        for (int i = 0; i < perClass * 2; i++)
        {
            int label = i % 2;

            // Uniform in radius, so the inner turns are not crowded.
            float radius = 0.1f + 0.9f * (float)random.NextDouble();
            float angle = radius * Turns * 2f * MathF.PI + label * MathF.PI;
            points[2 * i] = Scale * radius * MathF.Cos(angle) + noise * Gaussian(random);
            points[2 * i + 1] = Scale * radius * MathF.Sin(angle) + noise * Gaussian(random);
            labels[i] = label;
        }

        return new TwoSpirals(points, labels);
    }

    private static float Gaussian(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm's argument above zero.
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v));
    }
}
