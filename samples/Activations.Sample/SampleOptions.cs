using System.Globalization;

namespace Activations.Sample;

/// <summary>The sample's command line: <c>--epochs</c>, <c>--out</c>, <c>--seed</c>, <c>--help</c>.</summary>
internal sealed record SampleOptions(int Epochs, string OutputFolder, int Seed, bool Help)
{
    public const int DefaultEpochs = 300;
    public const int DefaultSeed = 1;
    public const string DefaultOutputFolder = "activations-output";

    public const string Usage = """
        Usage: dotnet run --project samples/Activations.Sample -- [options]

        Prints each activation's generated derivative, trains a 2 → 64 → 64 → 1 network on two spirals
        with ReLU, Leaky ReLU, tanh and sigmoid using only generated kernels, and draws the results.

        Options:
          --epochs N   training epochs for each activation (default 300)
          --out DIR    folder for the pictures (default ./activations-output)
          --seed N     seed for the data, the initial weights and the batch order (default 1)
          --help       show this text
        """;

    /// <summary>Reads the arguments; on a mistake returns null and says what was wrong in <paramref name="error"/>.</summary>
    public static SampleOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new SampleOptions(DefaultEpochs, DefaultOutputFolder, DefaultSeed, Help: false);
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            switch (name)
            {
                case "--help" or "-h" or "-?":
                    options = options with { Help = true };
                    break;
                case "--epochs":
                    if (!TakeValue(ref i, ref value, out error) || !TryPositive(name, value!, out int epochs, out error))
                    {
                        return null;
                    }

                    options = options with { Epochs = epochs };
                    break;
                case "--seed":
                    if (!TakeValue(ref i, ref value, out error))
                    {
                        return null;
                    }

                    if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
                    {
                        error = $"--seed needs a whole number, not '{value}'.";
                        return null;
                    }

                    options = options with { Seed = seed };
                    break;
                case "--out":
                    if (!TakeValue(ref i, ref value, out error))
                    {
                        return null;
                    }

                    if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
                    {
                        error = $"--out needs a folder path, not '{value}'.";
                        return null;
                    }

                    options = options with { OutputFolder = value };
                    break;
                default:
                    error = $"Unknown option '{arg}'.";
                    return null;
            }

            bool TakeValue(ref int index, ref string? text, out string? problem)
            {
                problem = null;
                if (text is not null)
                {
                    return true;
                }

                if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    problem = $"{name} needs a value.";
                    return false;
                }

                text = args[++index];
                return true;
            }
        }

        return options;
    }

    private static bool TryPositive(string name, string text, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value > 0)
        {
            return true;
        }

        error = $"{name} needs a whole number of at least 1, not '{text}'.";
        return false;
    }
}
