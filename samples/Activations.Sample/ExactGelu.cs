using Activations;

namespace Activations.Sample;

/// <summary>
/// The exact GELU, z·Φ(z). .NET has no erf, so Φ is written here with loops (a series and a continued fraction,
/// in double), which the generator cannot differentiate: <c>[Derivative]</c> tells it that Φ′ is the normal
/// density, and the chain rule does the rest (GELU′ = Φ(z) + z·φ(z), GELU″ = φ(z)·(2 − z²)).
/// </summary>
public static partial class Act
{
    /// <summary>The standard normal CDF Φ(z), computed in double and rounded once (within 0.5 ULP of float over [−10, 10]).</summary>
    public static float NormalCdf(float z)
    {
        double x = -z * 0.7071067811865476; // Φ(z) = erfc(−z/√2)/2
        return (float)(x < 0 ? 1 - 0.5 * Erfc(-x) : 0.5 * Erfc(x));
    }

    /// <summary>Φ′ = φ, the standard normal density, for the chain rule.</summary>
    [Derivative(nameof(NormalCdf))]
    public static float NormalPdf(float z) => (float)(0.3989422804014327 * Math.Exp(-0.5 * z * z));

    /// <summary>GELU as defined, not the tanh approximation of <see cref="Gelu(float)"/>.</summary>
    [Activation(SecondDerivative = true)]
    public static float GeluExact(float z) => z * NormalCdf(z);

    /// <summary>erfc(x) for x ≥ 0: 1 − erf by its Taylor series below 2, the Laplace continued fraction above.</summary>
    private static double Erfc(double x)
    {
        if (x < 2)
        {
            double term = x, sum = x;
            for (int n = 1; n < 60 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }

            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }

        if (x > 10)
        {
            return 0; // below float's smallest subnormal once halved
        }

        double fraction = x;
        for (int n = 60; n >= 1; n--)
        {
            fraction = x + n / 2.0 / fraction;
        }

        return Math.Exp(-x * x) / (fraction * Math.Sqrt(Math.PI));
    }
}
