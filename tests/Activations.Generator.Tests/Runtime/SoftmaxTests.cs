using Activations.Generator.Tests.Infrastructure;
using Activations.Kernels;

namespace Activations.Generator.Tests.Runtime;

/// <summary>The runtime's softmax and log-softmax against a double-precision reference and central differences.</summary>
public class SoftmaxTests
{
    private static double[] Reference(double[] x) => Reference(x, x.Max());

    /// <summary>e^(x − shift)/Σ; a shift of 0 avoids the rounding of x − m, for inputs too small for e^x to overflow.</summary>
    private static double[] Reference(double[] x, double shift)
    {
        double max = shift;
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = 0, lost = 0; // Neumaier's compensated sum, smallest terms first
        foreach (double v in e.OrderBy(v => v))
        {
            double t = sum + v;
            lost += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        sum += lost;
        return e.Select(v => v / sum).ToArray();
    }

    private static double[] LogReference(double[] x)
    {
        double max = x.Max();
        double log = Math.Log(x.Sum(v => Math.Exp(v - max)));
        return x.Select(v => v - max - log).ToArray();
    }

    public static TheoryData<int, double> Sizes => new()
    {
        { 1, 3 }, { 3, 3 }, { 7, 10 }, { 16, 3 }, { 100, 30 }, { 1_024, 10 }, { 65_536, 20 }, { 1_000, 1_000 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float_softmax_is_within_4_ULP_and_log_softmax_within_4_ULP_of_its_magnitude(int n, double spread)
    {
        var random = new Random(n);
        float[] x = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * spread)).ToArray();
        float[] y = new float[n];
        float[] logY = new float[n];
        Softmax.Forward(x, y);
        Softmax.LogForward(x, logY);
        double[] exact = Reference(x.Select(v => (double)v).ToArray());
        double[] logExact = LogReference(x.Select(v => (double)v).ToArray());
        double ulpOfOne = MathF.BitIncrement(1f) - 1;
        for (int i = 0; i < n; i++)
        {
            // Below the normal floats a ULP is a fixed 1.4e-45: compare there absolutely.
            bool close = Ulp.Error(y[i], exact[i], isDouble: false) <= 4 || Math.Abs(y[i] - exact[i]) <= 4 * float.Epsilon;
            Assert.True(close, $"softmax[{i}] of {n} = {y[i]:R}, exact {exact[i]:R} ({Ulp.Error(y[i], exact[i], false):F1} ULP)");
            Assert.True(Math.Abs(logY[i] - logExact[i]) <= 4 * ulpOfOne * Math.Max(1, Math.Abs(logExact[i])), $"logSoftmax[{i}] of {n} = {logY[i]:R}, exact {logExact[i]:R}");
        }
    }

    [Fact]
    public void Double_softmax_is_within_4_ULP()
    {
        var random = new Random(5);
        double[] x = Enumerable.Range(0, 4_099).Select(_ => (random.NextDouble() * 2 - 1) * 50).ToArray();
        double[] y = new double[x.Length];
        Softmax.Forward(x, y);
        double[] exact = Reference(x, 0); // |x| ≤ 50: e^x is exact to an ULP without the shift, whose rounding would cost the reference itself 20 ULP
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Ulp.Error(y[i], exact[i], isDouble: true) <= 4, $"softmax[{i}] = {y[i]:R}, exact {exact[i]:R}");
        }
    }

    [Theory]
    [InlineData(new float[] { 100, 0 })]
    [InlineData(new float[] { 1000, -1000, 0 })]
    [InlineData(new float[] { 3e38f, -3e38f, 0 })]
    [InlineData(new float[] { 88.8f, 88.8f, 88.8f })]
    [InlineData(new float[] { -1e30f, -1e30f })]
    public void Softmax_is_finite_for_any_finite_input(float[] x)
    {
        float[] y = new float[x.Length];
        float[] logY = new float[x.Length];
        Softmax.Forward(x, y);
        Softmax.LogForward(x, logY);
        double[] exact = Reference(x.Select(v => (double)v).ToArray());
        double[] logExact = LogReference(x.Select(v => (double)v).ToArray());
        for (int i = 0; i < x.Length; i++)
        {
            // ln y can lie beyond float's range (−6e38 for the 3e38 case): finite wherever it fits.
            bool logFits = Math.Abs(logExact[i]) <= float.MaxValue;
            Assert.True(float.IsFinite(y[i]) && (float.IsFinite(logY[i]) || !logFits), $"softmax({string.Join(", ", x)})[{i}] = {y[i]}, log {logY[i]}");
            Assert.True(Math.Abs(y[i] - exact[i]) <= 1e-6 * Math.Max(exact[i], 1e-30) + 1e-44, $"softmax[{i}] = {y[i]:R}, exact {exact[i]:R}");
        }

        // TensorPrimitives.SoftMax([100, 0]) is [NaN, 0]; the sum of ours is 1.
        Assert.Equal(1.0, y.Sum(v => (double)v), 6);
    }

    [Fact]
    public void A_NaN_or_positive_infinity_makes_its_row_NaN_and_leaves_other_rows_alone()
    {
        float[] x = { 1, float.NaN, 2, 0, 0, 0, float.PositiveInfinity, 1, 1 };
        float[] y = new float[x.Length];
        Softmax.Forward(x, y, rowLength: 3);
        Assert.All(y.Take(3), v => Assert.True(float.IsNaN(v)));
        Assert.All(y.Skip(3).Take(3), v => Assert.Equal(1f / 3, v, 6));
        Assert.All(y.Skip(6), v => Assert.True(float.IsNaN(v)));
    }

    /// <summary>Rows as long as the vector loops' (the small rows above never reach them), with the NaN in a vector and in the scalar tail.</summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1_029)]
    public void A_NaN_anywhere_in_a_long_row_makes_it_NaN(int at)
    {
        float[] x = Enumerable.Range(0, 1_030).Select(i => (float)Math.Sin(i)).ToArray();
        x[at] = float.NaN;
        float[] y = new float[x.Length], logY = new float[x.Length];
        Softmax.Forward(x, y);
        Softmax.LogForward(x, logY);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
        Assert.All(logY, v => Assert.True(float.IsNaN(v)));
    }

    /// <summary>A masked logit (−∞, as attention masks write it) has probability 0 and leaves the others a softmax of the rest.</summary>
    [Fact]
    public void Negative_infinity_is_a_probability_of_zero()
    {
        float[] x = Enumerable.Range(0, 1_030).Select(i => (float)Math.Sin(i)).ToArray();
        x[17] = float.NegativeInfinity;
        x[1_025] = float.NegativeInfinity;
        float[] y = new float[x.Length], logY = new float[x.Length];
        Softmax.Forward(x, y);
        Softmax.LogForward(x, logY);
        double[] rest = Reference(x.Where(float.IsFinite).Select(v => (double)v).ToArray());
        Assert.Equal(0f, y[17]);
        Assert.Equal(0f, y[1_025]);
        Assert.Equal(float.NegativeInfinity, logY[17]);
        double[] kept = y.Where((_, i) => i != 17 && i != 1_025).Select(v => (double)v).ToArray();
        for (int i = 0; i < rest.Length; i++)
        {
            Assert.True(Ulp.Error((float)kept[i], rest[i], isDouble: false) <= 4, $"softmax[{i}] = {kept[i]:R}, exact {rest[i]:R}");
        }
    }

    [Fact]
    public void Backward_passes_match_central_differences_of_the_double_reference()
    {
        var random = new Random(11);
        const int n = 37;
        double[] x = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2 - 1) * 4).ToArray();
        double[] g = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        float[] xf = x.Select(v => (float)v).ToArray();
        float[] gf = g.Select(v => (float)v).ToArray();
        float[] y = new float[n];
        float[] logY = new float[n];
        float[] grad = new float[n];
        float[] logGrad = new float[n];
        Softmax.Forward(xf, y);
        Softmax.LogForward(xf, logY);
        Softmax.Backward(y, gf, grad);
        Softmax.LogBackward(logY, gf, logGrad);

        // d/dx_i of L = Σ_j g_j·f(x)_j, by central differences in double at the float inputs.
        double[] xd = xf.Select(v => (double)v).ToArray();
        double[] gd = gf.Select(v => (double)v).ToArray();
        for (int i = 0; i < n; i++)
        {
            double Loss(Func<double[], double[]> f, double delta)
            {
                double[] shifted = (double[])xd.Clone();
                shifted[i] += delta;
                return f(shifted).Zip(gd, (a, b) => a * b).Sum();
            }

            const double h = 1e-5;
            double expected = (Loss(Reference, h) - Loss(Reference, -h)) / (2 * h);
            double logExpected = (Loss(LogReference, h) - Loss(LogReference, -h)) / (2 * h);
            Assert.True(Math.Abs(grad[i] - expected) <= 2e-6 + 1e-5 * Math.Abs(expected), $"softmax gradInput[{i}] = {grad[i]:R}, central difference {expected:R}");
            Assert.True(Math.Abs(logGrad[i] - logExpected) <= 2e-6 + 1e-5 * Math.Abs(logExpected), $"log-softmax gradInput[{i}] = {logGrad[i]:R}, central difference {logExpected:R}");
        }
    }

    [Fact]
    public void Rows_of_a_matrix_are_independent_softmaxes_and_in_place_gives_the_same_bits()
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 4 * 33).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        float[] g = Enumerable.Range(0, x.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] rows = new float[x.Length];
        float[] rowGrad = new float[x.Length];
        Softmax.Forward(x, rows, rowLength: 33);
        Softmax.Backward(rows, g, rowGrad, rowLength: 33);
        for (int r = 0; r < 4; r++)
        {
            float[] one = new float[33];
            float[] oneGrad = new float[33];
            Softmax.Forward(x.AsSpan(r * 33, 33), one);
            Softmax.Backward(one, g.AsSpan(r * 33, 33), oneGrad);
            Assert.Equal(one, rows.AsSpan(r * 33, 33).ToArray());
            Assert.Equal(oneGrad, rowGrad.AsSpan(r * 33, 33).ToArray());
        }

        foreach (bool log in new[] { false, true })
        {
            float[] expected = new float[x.Length];
            float[] inPlace = (float[])x.Clone();
            if (log)
            {
                Softmax.LogForward(x, expected, 33);
                Softmax.LogForward(inPlace, inPlace, 33);
            }
            else
            {
                Softmax.Forward(x, expected, 33);
                Softmax.Forward(inPlace, inPlace, 33);
            }

            Assert.Equal(expected, inPlace);
        }

        float[] gradInPlace = (float[])g.Clone();
        Softmax.Backward(rows, gradInPlace, gradInPlace, rowLength: 33);
        Assert.Equal(rowGrad, gradInPlace);
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_parameter()
    {
        float[] x = new float[6];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Softmax.Forward(x, new float[5])).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentException>(() => Softmax.Forward(x, new float[6], rowLength: 4)).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Softmax.Backward(x, new float[5], new float[6])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Softmax.Forward(x.AsSpan(0, 4), x.AsSpan(1, 4))).ParamName);
        Softmax.Forward(ReadOnlySpan<float>.Empty, Span<float>.Empty); // nothing to do, no error
    }
}
