namespace Activations.Generator.Parsing
{
    /// <summary>
    /// The <c>Math</c>/<c>MathF</c> (and <c>float</c>/<c>double</c> static) calls an activation body may make,
    /// with the expression each becomes. The ACT102 message lists them from here, so the list a user reads is
    /// the list the parser accepts.
    /// </summary>
    internal static class SupportedCalls
    {
        /// <summary>The calls that are not one elementary function of the table: spelled through others, or piecewise.</summary>
        private static readonly (string Name, int Arity, Func<IReadOnlyList<Expr>, Expr> Build)[] Spelled =
        {
            ("Log", 2, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Log(a[1]))),
            ("Log2", 1, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Num(Math.Log(2)))),
            ("Log10", 1, a => Algebra.Div(Algebra.Log(a[0]), Algebra.Num(Math.Log(10)))),
            ("Sqrt", 1, a => Algebra.Sqrt(a[0])),
            ("Pow", 2, a => Algebra.Pow(a[0], a[1])),
            ("Abs", 1, a => Algebra.Abs(a[0])),
            ("Max", 2, a => Algebra.Max(a[0], a[1])),
            ("Min", 2, a => Algebra.Min(a[0], a[1])),
            ("Clamp", 3, a => Algebra.Clamp(a[0], a[1], a[2])),
            ("Sign", 1, a => Algebra.Sign(a[0])),
        };

        private static readonly (string Name, int Arity, Func<IReadOnlyList<Expr>, Expr> Build)[] Table =
            MathFunctions.All
                .Where(f => f.CSharpName is not null)
                .Select(f => (f.CSharpName!, 1, (Func<IReadOnlyList<Expr>, Expr>)(a => Algebra.Apply(f.Function, a[0]))))
                .Concat(Spelled) // declared above: static fields initialise in order
                .ToArray();

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
