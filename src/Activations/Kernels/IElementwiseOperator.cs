using System.Runtime.Intrinsics;

namespace Activations.Kernels
{
    /// <summary>
    /// One element-wise function in scalar form and at every vector width: what <see cref="Elementwise"/>'s
    /// loops apply to a span. The generator writes one of these for each activation, its derivative and its
    /// from-output derivative; you can write your own and run it through the same loops.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <remarks>
    /// <para>
    /// Implement it on a <c>readonly struct</c>: the loops are generic over the operator type, so the JIT
    /// compiles them once per operator with its <c>Apply</c> methods inlined. A class works but pays an
    /// interface call per vector.
    /// </para>
    /// <para>
    /// The vector forms must compute, lane by lane, what the scalar form computes (within the accuracy you
    /// promise your callers). Every element is computed by a vector form, spans shorter than one vector
    /// included; the scalar form is used for NaN inputs only. A vector form need not handle NaN: the loops
    /// overwrite each NaN lane with the scalar form's result, unless <see cref="HasParameters"/> is false and
    /// the vector forms were found, once per operator type, to give NaN exactly as the scalar form does.
    /// </para>
    /// </remarks>
    /// <example>
    /// A squared ReLU, max(x, 0)²:
    /// <code>
    /// readonly struct SquaredRelu : IElementwiseOperator&lt;float&gt;
    /// {
    ///     public bool HasParameters => false;
    ///     public bool IsCheap => true;
    ///     public float Apply(float x) => x > 0 ? x * x : 0;
    ///     public Vector128&lt;float&gt; Apply(Vector128&lt;float&gt; x) { var r = Vector128.Max(x, Vector128&lt;float&gt;.Zero); return r * r; }
    ///     public Vector256&lt;float&gt; Apply(Vector256&lt;float&gt; x) { var r = Vector256.Max(x, Vector256&lt;float&gt;.Zero); return r * r; }
    ///     public Vector512&lt;float&gt; Apply(Vector512&lt;float&gt; x) { var r = Vector512.Max(x, Vector512&lt;float&gt;.Zero); return r * r; }
    /// }
    ///
    /// Elementwise.Map(inputs, outputs, new SquaredRelu());
    /// </code>
    /// </example>
    public interface IElementwiseOperator<T>
        where T : unmanaged
    {
        /// <summary>
        /// True when the operator holds values (hyperparameters) that can change what it does. The loops then
        /// cannot decide once per operator type, from a default instance, whether its vector forms treat NaN as
        /// its scalar form does, and compute every vector holding a NaN lane by lane.
        /// </summary>
        bool HasParameters { get; }

        /// <summary>
        /// True when each vector costs a few instructions (compares, selects, multiplies; no exp, log or
        /// power). The loops then load the next block of inputs while they store this one; an expensive
        /// operator needs those registers itself.
        /// </summary>
        bool IsCheap { get; }

        /// <summary>The function at one element.</summary>
        T Apply(T x);

        /// <summary>The function at each lane of a 128-bit vector.</summary>
        Vector128<T> Apply(Vector128<T> x);

        /// <summary>The function at each lane of a 256-bit vector.</summary>
        Vector256<T> Apply(Vector256<T> x);

        /// <summary>The function at each lane of a 512-bit vector.</summary>
        Vector512<T> Apply(Vector512<T> x);
    }
}
