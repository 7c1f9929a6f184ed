using System;

namespace Activations
{
    /// <summary>
    /// Marks a static method as the derivative of another method of the same type, for functions that cannot
    /// be differentiated from their body: an erf written as a loop or with table constants, say. The method
    /// takes the same parameters as the function it differentiates and returns d/dx of it at the first one.
    /// </summary>
    /// <remarks>
    /// <para>
    /// On a helper (a static method that is not an <see cref="ActivationAttribute"/> activation), it lets activations
    /// call the helper: the chain rule uses the supplied derivative, scalar code calls the helper as written, and
    /// the span kernels compute it inline where its body is in the supported subset, lane by lane otherwise.
    /// </para>
    /// <para>
    /// On an activation, it replaces the derivative the generator would derive: <c>NameDerivative</c> then computes
    /// the supplied one. With <see cref="FromOutput"/>, the method is the derivative written through the output
    /// y = g(z) and <c>NameDerivativeFromOutput</c> computes it. Where both bodies can be evaluated at compile time,
    /// the analyzer compares the supplied derivative with central differences of the function (ACT004).
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// public static float Erf(float x) { /* a series, as a loop */ }
    ///
    /// [Derivative(nameof(Erf))]
    /// public static float ErfDerivative(float x) => 1.1283791670955126f * MathF.Exp(-x * x);
    ///
    /// [Activation] public static float Gelu(float z) => 0.5f * z * (1f + Erf(z * 0.70710678f));
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DerivativeAttribute : Attribute
    {
        /// <summary>Marks the method as the derivative of the method named <paramref name="of"/> in the same type.</summary>
        /// <param name="of">The name of the function this method differentiates: write <c>nameof(Function)</c>.</param>
        public DerivativeAttribute(string of) => Of = of;

        /// <summary>The name of the function this method differentiates.</summary>
        public string Of { get; }

        /// <summary>
        /// The method takes the activation's output y = g(z) (and its hyperparameters) instead of z, and gives the
        /// derivative through it, as <c>NameDerivativeFromOutput</c> does. For activations only.
        /// </summary>
        public bool FromOutput { get; set; }
    }
}
