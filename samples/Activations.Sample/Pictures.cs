using Activations.Sample.Training;
using ScottPlot;

namespace Activations.Sample;

/// <summary>Draws the sample's results with ScottPlot, each picture as PNG and SVG.</summary>
internal static class Pictures
{
    private const int Width = 800;
    private const int Height = 500;

    /// <summary>Each activation with its generated derivative, and the from-output form where there is one.</summary>
    public static IEnumerable<string> ActivationCurves(string folder)
    {
        string into = Directory.CreateDirectory(Path.Combine(folder, "activations")).FullName;
        const int Points = 601;
        double[] z = Enumerable.Range(0, Points).Select(i => -6.0 + 12.0 * i / (Points - 1)).ToArray();
        foreach (var entry in Catalogue.All)
        {
            var plot = new Plot();
            var forward = plot.Add.ScatterLine(z, z.Select(v => (double)entry.Forward((float)v)).ToArray());
            forward.LegendText = $"{entry.Name}(z)";
            forward.LineWidth = 2;
            var derivative = plot.Add.ScatterLine(z, z.Select(v => (double)entry.Derivative((float)v)).ToArray());
            derivative.LegendText = $"{entry.Name}Derivative(z)";
            derivative.LineWidth = 2;
            if (entry.FromOutput is { } fromOutput)
            {
                // Every 20th point, as markers over the derivative: the two forms agree.
                double[] sparse = z.Where((_, i) => i % 20 == 0).ToArray();
                var viaOutput = plot.Add.ScatterPoints(sparse, sparse.Select(v => (double)fromOutput(entry.Forward((float)v))).ToArray());
                viaOutput.LegendText = $"{entry.Name}DerivativeFromOutput(y)";
                viaOutput.MarkerSize = 6;
            }

            plot.Title($"{entry.Name} and its generated derivative");
            plot.XLabel("z");
            plot.ShowLegend(Alignment.UpperLeft);
            foreach (string file in Save(plot, Path.Combine(into, entry.Name.ToLowerInvariant())))
            {
                yield return file;
            }
        }
    }

    /// <summary>Mean training loss per epoch, one line per activation.</summary>
    public static IEnumerable<string> LossCurves(string folder, IReadOnlyList<TrainingRun> runs)
    {
        var plot = new Plot();
        foreach (var run in runs)
        {
            double[] epochs = Enumerable.Range(1, run.LossPerEpoch.Count).Select(e => (double)e).ToArray();
            var line = plot.Add.ScatterLine(epochs, run.LossPerEpoch.Select(l => (double)l).ToArray());
            line.LegendText = run.Activation.Name;
            line.LineWidth = 2;
        }

        plot.Title("Training loss on two spirals (2 → 64 → 64 → 1, plain SGD)");
        plot.XLabel("epoch");
        plot.YLabel("mean binary cross-entropy");
        plot.Axes.SetLimitsY(0, Math.Max(0.8, runs.SelectMany(r => r.LossPerEpoch).DefaultIfEmpty(0.8f).Max() * 1.05));
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, Path.Combine(folder, "loss"));
    }

    /// <summary>What each network learned: P(class 1) over the plane, with the training points on top.</summary>
    public static IEnumerable<string> DecisionMaps(string folder, IReadOnlyList<TrainingRun> runs, TwoSpirals train)
    {
        const int Cells = 120;

        // The square that holds every training point, with a margin.
        float Extent = 1.1f * Enumerable.Range(0, train.Points.Length).Select(i => MathF.Abs(train.Points[i])).DefaultIfEmpty(3f).Max();
        var grid = new float[Cells * Cells * 2];
        for (int row = 0; row < Cells; row++)
        {
            for (int column = 0; column < Cells; column++)
            {
                int cell = row * Cells + column;

                // Row 0 is the top of the picture.
                grid[2 * cell] = -Extent + 2 * Extent * (column + 0.5f) / Cells;
                grid[2 * cell + 1] = Extent - 2 * Extent * (row + 0.5f) / Cells;
            }
        }

        var probabilities = new float[Cells * Cells];
        foreach (var run in runs)
        {
            run.Network.Predict(grid, probabilities);
            var intensities = new double[Cells, Cells];
            for (int cell = 0; cell < probabilities.Length; cell++)
            {
                intensities[cell / Cells, cell % Cells] = probabilities[cell];
            }

            var plot = new Plot();
            var map = plot.Add.Heatmap(intensities);
            map.Extent = new CoordinateRect(-Extent, Extent, -Extent, Extent);
            map.Colormap = new ScottPlot.Colormaps.Viridis();
            map.ManualRange = new ScottPlot.Range(0, 1);
            plot.Add.ColorBar(map);
            for (int label = 0; label <= 1; label++)
            {
                var indices = Enumerable.Range(0, train.Count).Where(i => (int)train.Labels[i] == label).ToArray();
                var points = plot.Add.ScatterPoints(
                    indices.Select(i => (double)train.Points[2 * i]).ToArray(),
                    indices.Select(i => (double)train.Points[2 * i + 1]).ToArray());
                points.Color = label == 0 ? Colors.OrangeRed : Colors.Black;
                points.MarkerSize = 4;
                points.LegendText = $"class {label}";
            }

            plot.Title($"{run.Activation.Name}: P(class 1); test {run.TestAccuracy:P1}; {run.Activation.InactiveUnitsLabel} {run.DeadFraction:P0}");
            plot.XLabel("x₁ (first input)");
            plot.YLabel("x₂ (second input)");

            // The axes show exactly the square the heatmap covers: no bare margins beyond it.
            plot.Axes.SetLimits(-Extent, Extent, -Extent, Extent);
            string name = "decision-" + run.Activation.Name.ToLowerInvariant().Replace(' ', '-');
            foreach (string file in Save(plot, Path.Combine(folder, name), Height + 200, Height))
            {
                yield return file;
            }
        }
    }

    private static IEnumerable<string> Save(Plot plot, string pathWithoutExtension, int width = Width, int height = Height)
    {
        string png = pathWithoutExtension + ".png";
        string svg = pathWithoutExtension + ".svg";
        plot.SavePng(png, width, height);
        plot.SaveSvg(svg, width, height);
        return new[] { png, svg };
    }
}
