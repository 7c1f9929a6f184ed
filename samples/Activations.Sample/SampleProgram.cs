using System.Diagnostics;
using System.Globalization;
using Activations.Sample.Training;

namespace Activations.Sample;

/// <summary>
/// The sample's three parts: the generated formulas, a training comparison that uses only generated
/// kernels, and pictures of both.
/// </summary>
internal static class SampleProgram
{
    /// <summary>Exit code for a bad command line, as command-line tools use it.</summary>
    public const int UsageError = 2;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive)
    {
        var options = SampleOptions.Parse(args, out string? problem);
        if (options is null)
        {
            error.WriteLine($"error: {problem}");
            error.WriteLine("Run with --help to see the options.");
            return UsageError;
        }

        if (options.Help)
        {
            output.WriteLine(SampleOptions.Usage);
            return 0;
        }

        string folder = Path.GetFullPath(options.OutputFolder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot create the output folder '{folder}': {e.Message}");
            return UsageError;
        }

        var clock = Stopwatch.StartNew();
        PrintFormulas(output);
        var (runs, train) = TrainAll(output, options, interactive);
        PrintTable(output, runs);

        var files = Pictures.ActivationCurves(folder)
            .Concat(Pictures.LossCurves(folder, runs))
            .Concat(Pictures.DecisionMaps(folder, runs, train))
            .ToList();
        output.WriteLine();
        output.WriteLine($"Pictures ({files.Count} files, PNG and SVG) written to {folder}");
        output.WriteLine("  activations/<name>.png   each activation with its generated derivative");
        output.WriteLine($"  loss.png                 the loss curves of the {runs.Count} runs");
        output.WriteLine("  decision-<name>.png      what each network learned");
        output.WriteLine($"Done in {clock.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    private static void PrintFormulas(TextWriter output)
    {
        var docs = GeneratedDocs.Load();
        float[] points = { -100f, -3f, -1f, 0f, 1f, 3f, 100f };
        output.WriteLine("1. Derivatives generated at compile time from the functions in Act.cs");
        output.WriteLine();
        foreach (var entry in Catalogue.All)
        {
            output.WriteLine(entry.Name);
            output.WriteLine($"  derivative    {docs.Formula(entry.Name + "Derivative")}");
            output.WriteLine($"  from output   {(entry.FromOutput is null ? "none: the output does not determine the slope" : docs.Formula(entry.Name + "DerivativeFromOutput"))}");
            output.WriteLine($"  {"z",8} {"g(z)",12} {"g′(z)",12} {"g′ from y",12}");
            foreach (float z in points)
            {
                float y = entry.Forward(z);
                string viaOutput = entry.FromOutput is null ? "—" : Format(entry.FromOutput(y));
                output.WriteLine($"  {z,8:0.###} {Format(y),12} {Format(entry.Derivative(z)),12} {viaOutput,12}");
            }

            output.WriteLine();
        }
    }

    private static (IReadOnlyList<TrainingRun> Runs, TwoSpirals Train) TrainAll(TextWriter output, SampleOptions options, bool interactive)
    {
        var data = new Random(options.Seed);
        var train = TwoSpirals.Generate(perClass: 250, noise: 0.08f, data);
        var test = TwoSpirals.Generate(perClass: 250, noise: 0.08f, data);
        output.WriteLine($"2. Training 2 → {Trainer.Hidden} → {Trainer.Hidden} → 1 on two spirals ({train.Count} training points, {test.Count} test points, seed {options.Seed})");
        output.WriteLine($"   plain SGD, learning rate {Trainer.LearningRate}, batches of {Trainer.BatchSize}, {options.Epochs} epochs; hidden activations and their backward passes run only through generated span kernels");
        output.WriteLine();
        var trainer = new Trainer(train, test, options.Epochs, options.Seed);
        var runs = HiddenActivation.Compared
            .Select(activation => trainer.Train(activation, new ProgressBar(output, activation.Name, options.Epochs, interactive)))
            .ToList();
        return (runs, train);
    }

    private static void PrintTable(TextWriter output, IReadOnlyList<TrainingRun> runs)
    {
        output.WriteLine();
        output.WriteLine($"  {"activation",-11} {"final loss",10} {"train acc.",10} {"test acc.",10} {"never z > 0",12} {"time",7}");
        foreach (var run in runs)
        {
            string dead = $"{run.DeadUnits}/{run.Network.HiddenUnits} {run.DeadFraction,4:P0}";
            string line = $"  {run.Activation.Name,-11} {run.FinalLoss,10:0.0000} {run.TrainAccuracy,10:P1} {run.TestAccuracy,10:P1} {dead,12} {run.Elapsed.TotalSeconds,6:0.0}s  {(run.Activation.NoGradientBelowZero ? "dead" : string.Empty)}";
            output.WriteLine(line.TrimEnd());
        }

        foreach (var run in runs.Where(r => r.Network.LearnedParameters.First is not null))
        {
            var (first, second) = run.Network.LearnedParameters;
            output.WriteLine();
            output.WriteLine($"  {run.Activation.Name} learned its slopes: alpha {PReluLayer.InitialSlope:0.###} → {first:0.####} (first hidden layer), {second:0.####} (second),");
            output.WriteLine($"  moved by ∂L/∂alpha from the generated PReluBackwardWithParameterGradient, where {GeneratedDocs.Load().Formula("PReluDerivativeWithRespectToAlpha", 2)}.");
        }

        output.WriteLine();
        output.WriteLine("  'never z > 0' counts units with no positive pre-activation on any training point. For ReLU such a unit");
        output.WriteLine("  is dead: its gradient is zero everywhere and no update can revive it, the risk the ACT001 warning");
        output.WriteLine("  points at. Leaky ReLU and PReLU keep a slope there; for tanh and sigmoid the count only says which side of");
        output.WriteLine("  zero the unit stays on: those units are not dead and still learn.");
    }

    private static string Format(float value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
