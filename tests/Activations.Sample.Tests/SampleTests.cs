using Activations.Sample.Training;

namespace Activations.Sample.Tests;

/// <summary>The sample as README runs it: options, the printed report, the training and the pictures.</summary>
public sealed class SampleTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("activations-sample-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_short_run_prints_every_formula_a_row_per_activation_and_writes_the_pictures()
    {
        var (exit, output, error) = Run("--epochs", "15", "--out", folder, "--seed", "3");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        foreach (var entry in Catalogue.All)
        {
            Assert.Contains(Environment.NewLine + entry.Name + Environment.NewLine + "  derivative    g′(z) = ", output, StringComparison.Ordinal);
        }

        Assert.Contains("from output   g′ = y·(1 − y)", output, StringComparison.Ordinal);
        foreach (var activation in HiddenActivation.Compared)
        {
            // The progress bar's last state, then the table row.
            Assert.Contains($"  {activation.Name,-11} [{new string('#', 30)}]   15/15 epochs", output, StringComparison.Ordinal);
            Assert.Matches($@"\n  {activation.Name,-11} +\d\.\d{{4}} +\d+\.\d %", output);
        }

        Assert.Matches(@"PReLU learned its slopes: alpha 0\.25 → -?\d\.\d+ \(first hidden layer\), -?\d\.\d+ \(second\)", output);
        Assert.Contains("where ∂g/∂alpha = ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("documentation file not found", output, StringComparison.Ordinal);
        Assert.Contains($"written to {folder}", output, StringComparison.Ordinal);
        var pictures = Catalogue.All.Select(e => Path.Combine("activations", e.Name.ToLowerInvariant()))
            .Append("loss")
            .Concat(HiddenActivation.Compared.Select(a => "decision-" + a.Name.ToLowerInvariant().Replace(' ', '-')));
        foreach (string picture in pictures)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(folder, picture + ".png"));
            Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), picture + ".png is not a PNG");
            Assert.True(png.Length > 5_000, picture + ".png is too small to hold a plot");
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, picture + ".svg")), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The sample's exact GELU against Φ in double by Simpson's rule on [0, |z|] (another method than the sample's):
    /// within 4 ULP, and its derivative too away from its zero at z ≈ −0.75, where Φ + zφ cancels.
    /// </summary>
    [Fact]
    public void The_exact_gelu_matches_a_double_reference()
    {
        static double Phi(double z)
        {
            const int panels = 4_000;
            double h = Math.Abs(z) / panels, area = 0;
            for (int i = 0; i <= panels; i++)
            {
                double t = i * h;
                area += (i == 0 || i == panels ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-0.5 * t * t);
            }

            double half = area * h / 3 / Math.Sqrt(2 * Math.PI);
            return z >= 0 ? 0.5 + half : 0.5 - half;
        }

        static double Ulps(double actual, double expected)
        {
            float magnitude = MathF.Abs((float)expected);
            return Math.Abs(actual - expected) / (MathF.BitIncrement(magnitude) - magnitude);
        }

        for (float z = -5f; z <= 5f; z += 0.0625f)
        {
            double phi = Phi(z), density = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            Assert.True(Ulps(Act.GeluExact(z), z * phi) <= 4, $"GELU({z}) = {Act.GeluExact(z):R}, reference {z * phi:R}");
            if (Math.Abs(z + 0.7518) > 0.25)
            {
                Assert.True(Ulps(Act.GeluExactDerivative(z), phi + z * density) <= 4, $"GELU′({z}) = {Act.GeluExactDerivative(z):R}, reference {phi + z * density:R}");
            }

            Assert.Equal(density * (2 - z * z), Act.GeluExactSecondDerivative(z), 5);
        }
    }

    [Theory]
    [InlineData("--epochs 0", "--epochs needs a whole number of at least 1, not '0'")]
    [InlineData("--epochs many", "--epochs needs a whole number of at least 1, not 'many'")]
    [InlineData("--epochs", "--epochs needs a value")]
    [InlineData("--seed 1.5", "--seed needs a whole number, not '1.5'")]
    [InlineData("--out", "--out needs a value")]
    [InlineData("--out= ", "--out needs a folder path")]
    [InlineData("--learning-rate 3", "Unknown option '--learning-rate'")]
    [InlineData("extra", "Unknown option 'extra'")]
    public void A_bad_option_gets_a_clear_message_and_exit_code_2(string arguments, string message)
    {
        var (exit, output, error) = Run(arguments.Split(' '));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("error: " + message, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_lists_the_options_and_trains_nothing(string flag)
    {
        var (exit, output, error) = Run(flag);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        foreach (string option in new[] { "--epochs N", "--out DIR", "--seed N", "--help" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Training", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_take_their_values_with_a_space_or_an_equals_sign()
    {
        var options = SampleOptions.Parse(new[] { "--epochs=12", "--seed", "-4", "--out=pictures" }, out string? error);

        Assert.Null(error);
        Assert.Equal(new SampleOptions(12, "pictures", -4, Help: false), options);
        Assert.Equal(new SampleOptions(SampleOptions.DefaultEpochs, SampleOptions.DefaultOutputFolder, SampleOptions.DefaultSeed, false), SampleOptions.Parse(Array.Empty<string>(), out _));
    }

    /// <summary>
    /// With the defaults the piecewise-linear activations and tanh learn the spirals and sigmoid does not:
    /// the comparison the sample prints, with the generated kernels doing every activation and backward pass.
    /// </summary>
    [Fact]
    public void With_the_default_epochs_ReLU_Leaky_ReLU_PReLU_and_tanh_learn_the_spirals()
    {
        var random = new Random(SampleOptions.DefaultSeed);
        var train = TwoSpirals.Generate(250, 0.08f, random);
        var test = TwoSpirals.Generate(250, 0.08f, random);
        var trainer = new Trainer(train, test, SampleOptions.DefaultEpochs, SampleOptions.DefaultSeed);

        var runs = HiddenActivation.Compared.ToDictionary(a => a.Name, a => trainer.Train(a, new ProgressBar(TextWriter.Null, a.Name, SampleOptions.DefaultEpochs, redraw: false)));

        foreach (string name in new[] { "ReLU", "Leaky ReLU", "PReLU", "tanh" })
        {
            Assert.True(runs[name].TestAccuracy >= 0.97f, $"{name}: test accuracy {runs[name].TestAccuracy:P1}");
            Assert.True(runs[name].FinalLoss < 0.05f, $"{name}: final loss {runs[name].FinalLoss}");
            Assert.True(runs[name].LossPerEpoch[^1] < runs[name].LossPerEpoch[0] / 10, $"{name}: the loss did not fall tenfold");
        }

        Assert.True(runs["sigmoid"].TestAccuracy < 0.8f, "sigmoid was expected to stall on this problem with plain SGD");

        // PReLU's slopes moved from where they started, by the gradient the generated backward returned.
        var (first, second) = runs["PReLU"].Network.LearnedParameters;
        Assert.All(new[] { first, second }, slope => Assert.True(slope is { } value && Math.Abs(value - PReluLayer.InitialSlope) > 0.01f, $"slope {slope}"));
        Assert.Equal((null, null), runs["ReLU"].Network.LearnedParameters);
        Assert.All(runs.Values, r => Assert.InRange(r.DeadUnits, 0, r.Network.HiddenUnits));
    }

    [Fact]
    public void Plain_SGD_with_a_far_too_large_step_kills_ReLUs_and_the_count_sees_it()
    {
        var data = TwoSpirals.Generate(20, 0.1f, new Random(5));
        var relu = HiddenActivation.Compared.Single(a => a.Name == "ReLU");
        var network = new Network(8, relu, new Random(5), capacity: 16);
        int deadAtStart = network.DeadUnits(data);

        for (int step = 0; step < 20; step++)
        {
            network.TrainBatch(data.Points.AsSpan(0, 32), data.Labels.AsSpan(0, 16), 16, learningRate: 50f);
        }

        Assert.True(network.DeadUnits(data) > deadAtStart, $"dead before {deadAtStart}, after {network.DeadUnits(data)}");
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = SampleProgram.Run(args.Where(a => a.Length > 0).ToArray(), output, error, interactive: false);
        return (exit, output.ToString(), error.ToString());
    }
}
