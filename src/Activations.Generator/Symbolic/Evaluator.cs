namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Evaluates an expression numerically, in double or rounding every step to float as the
    /// generated float code would. Used to probe stability, check output forms and pick kink values.
    /// </summary>
    internal sealed class Evaluator
    {
        private readonly ActivationLibrary library;
        private readonly bool single;

        public Evaluator(ActivationLibrary library, bool single = false)
        {
            this.library = library;
            this.single = single;
        }

        public double Evaluate(Expr expr, double z, IReadOnlyList<double> parameters) => Eval(expr, z, parameters);

        private double Round(double value) => single ? (float)value : value;

        private double Eval(Expr e, double z, IReadOnlyList<double> p)
        {
            switch (e)
            {
                case Constant c:
                    return Round(c.Value);
                case Variable:
                    return Round(z);
                case Parameter parameter:
                    return parameter.Index < p.Count ? Round(p[parameter.Index]) : double.NaN;
                case Sum sum:
                {
                    double total = 0;
                    foreach (var term in sum.Terms)
                    {
                        total = Round(total + Eval(term, z, p));
                    }

                    return total;
                }

                case Product product:
                {
                    double total = 1;
                    foreach (var factor in product.Factors)
                    {
                        total = Round(total * Eval(factor, z, p));
                    }

                    return total;
                }

                case Power power:
                {
                    double b = Eval(power.Base, z, p);
                    double x = Eval(power.Exponent, z, p);
                    return Round(x switch
                    {
                        -1 => 1 / b,
                        0.5 => Math.Sqrt(b),
                        2 => b * b,
                        _ => Math.Pow(b, x),
                    });
                }

                case Call call:
                    return Round(Algebra.Evaluate(call.Function, Eval(call.Argument, z, p)));
                case ActivationCall activation:
                {
                    var args = activation.Arguments.Select(a => Eval(a, z, p)).ToArray();
                    return library.TryGetBody(activation, out var body) ? Eval(body, args[0], args.Skip(1).ToArray()) : double.NaN;
                }

                case Piecewise piecewise:
                    for (int i = 0; i < piecewise.BranchCount; i++)
                    {
                        if (Eval(piecewise.Conditions[i], z, p) != 0)
                        {
                            return Eval(piecewise.Values[i], z, p);
                        }
                    }

                    return Eval(piecewise.Otherwise, z, p);
                case Comparison comparison:
                    return Algebra.Holds(comparison.Op, Eval(comparison.Left, z, p), Eval(comparison.Right, z, p)) ? 1 : 0;
                case Logic { Op: LogicOp.Not } not:
                    return Eval(not.Operands[0], z, p) != 0 ? 0 : 1;
                case Logic { Op: LogicOp.And } and:
                    return and.Operands.All(o => Eval(o, z, p) != 0) ? 1 : 0;
                case Logic or:
                    return or.Operands.Any(o => Eval(o, z, p) != 0) ? 1 : 0;
                case BoolConstant b:
                    return b.Value ? 1 : 0;
                default:
                    throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
            }
        }
    }
}
