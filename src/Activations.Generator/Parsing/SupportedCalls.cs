using System;
using System.Collections.Generic;
using System.Linq;
using Activations.Generator.Symbolic;

namespace Activations.Generator.Parsing
{
    /// <summary>
    /// The <c>Math</c>/<c>MathF</c> (and <c>float</c>/<c>double</c> static) calls an activation body may make,
    /// with the expression each becomes. The ACT102 message lists them from here, so the list a user reads is
    /// the list the parser accepts.
    /// </summary>
    internal static class SupportedCalls
    {
        private static readonly (string Name, int Arity, Func<IReadOnlyList<Expr>, Expr> Build)[] Table =
        {
            ("Exp", 1, a => Algebra.Exp(a[0])),
            ("Log", 1, a => Algebra.Log(a[0])),
            ("Log", 2, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Log(a[1]))),
            ("Log2", 1, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Num(Math.Log(2)))),
            ("Log10", 1, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Num(Math.Log(10)))),
            ("Sqrt", 1, a => Algebra.Sqrt(a[0])),
            ("Pow", 2, a => Algebra.Pow(a[0], a[1])),
            ("Tanh", 1, a => Algebra.Tanh(a[0])),
            ("Sinh", 1, a => Algebra.Apply(MathFunction.Sinh, a[0])),
            ("Cosh", 1, a => Algebra.Apply(MathFunction.Cosh, a[0])),
            ("Sin", 1, a => Algebra.Apply(MathFunction.Sin, a[0])),
            ("Cos", 1, a => Algebra.Apply(MathFunction.Cos, a[0])),
            ("Atan", 1, a => Algebra.Apply(MathFunction.Atan, a[0])),
            ("Abs", 1, a => Algebra.Abs(a[0])),
            ("Max", 2, a => Algebra.Max(a[0], a[1])),
            ("Min", 2, a => Algebra.Min(a[0], a[1])),
            ("Clamp", 3, a => Algebra.Clamp(a[0], a[1], a[2])),
            ("Sign", 1, a => Algebra.Sign(a[0])),
        };

        /// <summary>The supported names, for messages: "Exp, Log, Log2, …, Clamp, Sign".</summary>
        public static string List { get; } = string.Join(", ", Table.Select(t => t.Name).Distinct());

        /// <summary>The expression for a call to <paramref name="name"/>, or null when it is not supported.</summary>
        public static Expr? TryBuild(string name, IReadOnlyList<Expr> arguments)
        {
            foreach (var (candidate, arity, build) in Table)
            {
                if (candidate == name && arity == arguments.Count)
                {
                    return build(arguments);
                }
            }

            return null;
        }
    }
}
