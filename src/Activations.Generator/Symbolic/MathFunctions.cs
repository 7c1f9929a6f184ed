namespace Activations.Generator.Symbolic
{
    /// <summary>The elementary functions the expression type knows besides powers; each has one row in <see cref="MathFunctions"/>.</summary>
    /// <remarks>Sqrt is <c>Power(x, 0.5)</c>; Abs, Max, Min, Clamp and Sign are <see cref="Piecewise"/>.</remarks>
    internal enum MathFunction
    {
        Exp,
        Log,
        Tanh,
        Sinh,
        Cosh,
        Sin,
        Cos,
        Atan,
        Asinh,

        /// <summary>ln(1 + u), exact for small u; spelled <c>float.LogP1</c>/<c>double.LogP1</c>. The kernels' stable softplus uses it.</summary>
        Log1P,

        /// <summary>
        /// ln(1 + e^u), computed as max(u, 0) + ln1p(e^(−|u|)) so that it never overflows. No C# spelling: only the
        /// kernels' stable rewrite of ln(c + b·e^w) makes it (see Stabilizer.StabilizeForKernels).
        /// </summary>
        LogOnePlusExp,
    }

    /// <summary>Whether f(−u) is f(u), −f(u), or neither.</summary>
    internal enum Parity
    {
        None,
        Odd,
        Even,
    }

    /// <summary>
    /// Everything the generator knows about one elementary function f, in one place: how C# spells it, how the
    /// docs write it, its parity, its value, f′, its inverse, where it increases (for interval proofs) and its
    /// vector form. The parser, <see cref="Algebra"/>, the differentiator, the output-form solver, the interval
    /// reasoning, the evaluator and both printers read it from here.
    /// </summary>
    /// <param name="CSharpName">
    /// The member of <c>Math</c>/<c>MathF</c> (and <c>double</c>/<c>float</c>) that computes f; null for a function
    /// only the kernels use, which the parser never reads and the scalar printer never meets.
    /// </param>
    /// <param name="OnNumericTypeOnly">
    /// True when only <c>float</c>/<c>double</c> have the member (generic math, .NET 7 and later), not
    /// <c>Math</c>/<c>MathF</c>: the scalar printer then spells it on the numeric type.
    /// </param>
    /// <param name="Notation">How the doc comments write f: <c>tanh</c>, <c>ln</c>.</param>
    /// <param name="Derivative">f′(u), given the call f(u) (which f′ may reuse: e′ = e, tanh′ = (1 − t)(1 + t)).</param>
    /// <param name="Inverse">u as an expression in r = f(u), where f is one-to-one on its domain; null when it is not.</param>
    /// <param name="IncreasingFrom">f increases on [this, ∞) and is undefined below; null when f is not monotonic.</param>
    /// <param name="VectorTemplate">
    /// The vector form: <c>{math}</c> is the runtime's <c>Activations.Kernels.VectorMath</c>, <c>{arg}</c> the argument, <c>{neg}</c>
    /// its negation, <c>{half}</c> a broadcast 0.5. Null when there is none: kernels then keep the scalar form.
    /// </param>
    internal sealed record FunctionInfo(
        MathFunction Function,
        string? CSharpName,
        string Notation,
        Parity Parity,
        Func<double, double> Evaluate,
        Func<Call, Expr> Derivative,
        Func<Expr, Expr>? Inverse,
        double? IncreasingFrom,
        string? VectorTemplate,
        bool OnNumericTypeOnly = false);

    /// <summary>The function table. Adding a function is adding its enum member and its row here.</summary>
    internal static class MathFunctions
    {
        private static readonly Expr Two = Algebra.Num(2);

        public static IReadOnlyList<FunctionInfo> All { get; } = new[]
        {
            new FunctionInfo(
                MathFunction.Exp, "Exp", "exp", Parity.None, Math.Exp,
                call => call,
                r => Algebra.Log(r),
                double.NegativeInfinity,
                "{math}.Exp({arg})"),
            new FunctionInfo(
                MathFunction.Log, "Log", "ln", Parity.None, Math.Log,
                call => Algebra.Reciprocal(call.Argument),
                r => Algebra.Exp(r),
                0,
                "{math}.Log({arg})"),
            new FunctionInfo(
                MathFunction.Tanh, "Tanh", "tanh", Parity.Odd, Math.Tanh,
                // (1 − t)(1 + t) with t = tanh u: never 1/cosh², which overflows; more accurate than 1 − t².
                call => Algebra.Mul(Algebra.Sub(Constant.One, call), Algebra.Add(Constant.One, call)),
                // atanh r = ½·ln((1 + r)/(1 − r))
                r => Algebra.Mul(Algebra.Num(0.5), Algebra.Log(Algebra.Div(Algebra.Add(Constant.One, r), Algebra.Sub(Constant.One, r)))),
                double.NegativeInfinity,
                "{math}.Tanh({arg})"),
            new FunctionInfo(
                MathFunction.Sinh, "Sinh", "sinh", Parity.Odd, Math.Sinh,
                call => Algebra.Apply(MathFunction.Cosh, call.Argument),
                // asinh r = ln(r + √(r² + 1))
                r => Algebra.Log(Algebra.Add(r, Algebra.Sqrt(Algebra.Add(Algebra.Pow(r, Two), Constant.One)))),
                double.NegativeInfinity,
                "({math}.Exp({arg}) - {math}.Exp({neg})) * {half}"),
            new FunctionInfo(
                MathFunction.Cosh, "Cosh", "cosh", Parity.Even, Math.Cosh,
                call => Algebra.Apply(MathFunction.Sinh, call.Argument),
                null,
                null,
                "({math}.Exp({arg}) + {math}.Exp({neg})) * {half}"),
            new FunctionInfo(
                MathFunction.Sin, "Sin", "sin", Parity.Odd, Math.Sin,
                call => Algebra.Apply(MathFunction.Cos, call.Argument),
                null,
                null,
                null),
            new FunctionInfo(
                MathFunction.Cos, "Cos", "cos", Parity.Even, Math.Cos,
                call => Algebra.Neg(Algebra.Apply(MathFunction.Sin, call.Argument)),
                null,
                null,
                null),
            new FunctionInfo(
                MathFunction.Atan, "Atan", "atan", Parity.Odd, Math.Atan,
                call => Algebra.Reciprocal(Algebra.Add(Constant.One, Algebra.Pow(call.Argument, Two))),
                null, // tan is not in the table
                double.NegativeInfinity,
                null),
            new FunctionInfo(
                MathFunction.Asinh, "Asinh", "asinh", Parity.Odd, Asinh,
                call => Algebra.Pow(Algebra.Add(Constant.One, Algebra.Pow(call.Argument, Two)), Algebra.Num(-0.5)),
                r => Algebra.Apply(MathFunction.Sinh, r),
                double.NegativeInfinity,
                null), // no vector asinh yet: kernels call MathF.Asinh lane by lane
            new FunctionInfo(
                MathFunction.Log1P, "LogP1", "ln1p", Parity.None, Log1P,
                call => Algebra.Reciprocal(Algebra.Add(Constant.One, call.Argument)),
                r => Algebra.Sub(Algebra.Exp(r), Constant.One),
                -1,
                "{math}.Log1P({arg})",
                OnNumericTypeOnly: true),
            new FunctionInfo(
                MathFunction.LogOnePlusExp, null, "softplus", Parity.None, LogOnePlusExp,
                // d/du ln(1 + e^u) = 1/(1 + e^(−u)), which cannot overflow to NaN
                call => Algebra.Reciprocal(Algebra.Add(Constant.One, Algebra.Exp(Algebra.Neg(call.Argument)))),
                r => Algebra.Log(Algebra.Sub(Algebra.Exp(r), Constant.One)),
                double.NegativeInfinity,
                "{math}.LogOnePlusExp({arg})"),
        };

        private static readonly Dictionary<MathFunction, FunctionInfo> ByFunction = All.ToDictionary(f => f.Function);

        public static FunctionInfo Of(MathFunction function) => ByFunction[function];

        /// <summary>ln(1 + x) to full precision near 0 (netstandard2.0 has no Math.Log1P): ln v · x/(v − 1) with v = 1 + x rounded.</summary>
        private static double Log1P(double x)
        {
            double v = 1 + x;
            return v == 1 ? x : double.IsPositiveInfinity(v) ? v : Math.Log(v) * x / (v - 1);
        }

        private static double LogOnePlusExp(double x) => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x)));

        /// <summary>
        /// asinh x = sign(x)·ln(|x| + √(x² + 1)), written so that it neither cancels for x ≪ 0 nor overflows
        /// for |x| ≫ 1 (the generator targets netstandard2.0, which has no Math.Asinh).
        /// </summary>
        private static double Asinh(double x)
        {
            double a = Math.Abs(x);
            double magnitude = a > 1e8 ? Math.Log(a) + Math.Log(2)
                : a < 1e-4 ? a - a * a * a / 6
                : Math.Log(a + Math.Sqrt(a * a + 1));
            return x < 0 ? -magnitude : magnitude;
        }
    }
}
