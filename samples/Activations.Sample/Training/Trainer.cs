using System.Diagnostics;

namespace Activations.Sample.Training;

/// <summary>What one training run ended with.</summary>
internal sealed record TrainingRun(
    HiddenActivation Activation,
    Network Network,
    IReadOnlyList<float> LossPerEpoch,
    float FinalLoss,
    float TrainAccuracy,
    float TestAccuracy,
    int DeadUnits,
    TimeSpan Elapsed)
{
    public float DeadFraction => (float)DeadUnits / Network.HiddenUnits;
}

/// <summary>Trains one network per activation on the same data, from the same seed, with plain SGD.</summary>
internal sealed class Trainer
{
    public const int Hidden = 64;
    public const int BatchSize = 32;
    public const float LearningRate = 0.2f;

    private readonly TwoSpirals train;
    private readonly TwoSpirals test;
    private readonly int epochs;
    private readonly int seed;

    public Trainer(TwoSpirals train, TwoSpirals test, int epochs, int seed)
    {
        this.train = train;
        this.test = test;
        this.epochs = epochs;
        this.seed = seed;
    }

    public TrainingRun Train(HiddenActivation activation, ProgressBar progress)
    {
        var clock = Stopwatch.StartNew();

        // The same seed for every activation: the same initial weights and the same batch order.
        var random = new Random(seed);
        var network = new Network(Hidden, activation, random, capacity: BatchSize);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var points = new float[BatchSize * 2];
        var labels = new float[BatchSize];
        var losses = new List<float>(epochs);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            double epochLoss = 0;
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                int count = Math.Min(BatchSize, order.Length - start);
                for (int i = 0; i < count; i++)
                {
                    int n = order[start + i];
                    points[2 * i] = train.Points[2 * n];
                    points[2 * i + 1] = train.Points[2 * n + 1];
                    labels[i] = train.Labels[n];
                }

                epochLoss += network.TrainBatch(points, labels, count, LearningRate) * count;
            }

            losses.Add((float)(epochLoss / train.Count));
            progress.Report(epoch + 1, losses[^1]);
        }

        var (finalLoss, trainAccuracy) = network.Evaluate(train);
        var (_, testAccuracy) = network.Evaluate(test);
        int dead = network.DeadUnits(train);
        progress.Finish(losses.Count > 0 ? losses[^1] : finalLoss);
        return new TrainingRun(activation, network, losses, finalLoss, trainAccuracy, testAccuracy, dead, clock.Elapsed);
    }
}
