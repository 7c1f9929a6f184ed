using System;

namespace Activations
{
    /// <summary>
    /// Marks a static method <c>T Name(T z, …)</c> (<c>T</c> is <see cref="float"/> or <see cref="double"/>)
    /// as an activation function. At compile time the Activations generator differentiates its body
    /// symbolically and adds to the containing <c>partial</c> type:
    /// <list type="bullet">
    /// <item><description><c>NameDerivative(T z, …)</c>: the derivative g′(z);</description></item>
    /// <item><description><c>NameDerivativeFromOutput(T y, …)</c>: the derivative written through the output
    /// y = g(z), generated only where that is exact for every z (for example y·(1 − y) for the sigmoid).</description></item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// The first parameter is the variable z; any further parameters are hyperparameters that are passed
    /// through unchanged; their default values, if any, are repeated on the generated members. The body may use arithmetic, comparisons, <c>?:</c>, <c>if</c>/<c>return</c> chains,
    /// locals, constants, the <see cref="Math"/>/<c>MathF</c> functions Exp, Log, Log2, Log10, Sqrt, Pow, Tanh, Sinh,
    /// Cosh, Sin, Cos, Atan, Abs, Max, Min, Clamp and Sign, and calls to other <c>[Activation]</c> methods.
    /// At a kink the derivative is the smallest-magnitude element of the Clarke subdifferential
    /// (0 for ReLU at 0).
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class ActivationAttribute : Attribute
    {
        /// <summary>
        /// Also generate the second derivative: <c>NameSecondDerivative(T z, …)</c>, g″(z), and its span kernel
        /// <c>NameSecondDerivative(ReadOnlySpan&lt;T&gt; z, Span&lt;T&gt; destination, …)</c>, for curvature-aware
        /// optimisers, Hessian-vector products and physics-informed losses; where the output decides g″,
        /// also <c>NameSecondDerivativeFromOutput(T y, …)</c> and its span kernel (σ″ = y·(1 − 2y)·(1 − y)).
        /// Off by default, so that a project that does not need g″ gets no more generated code (the
        /// sigmoid's generated file grows from 138 to 238 lines with it). At a kink of g′ the same rule applies as for g′.
        /// </summary>
        /// <example><c>[Activation(SecondDerivative = true)] public static float Gelu(float z) => …;</c></example>
        public bool SecondDerivative { get; set; }
    }
}
