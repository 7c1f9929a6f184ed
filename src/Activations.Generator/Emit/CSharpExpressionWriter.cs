using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Activations.Generator.Symbolic;

namespace Activations.Generator.Emit
{
    /// <summary>
    /// Writes an expression as C# for one scalar type. Names of the variable, hyperparameters and hoisted
    /// subexpressions come from the caller; literals are invariant round-trip text (<c>0.01f</c>).
    /// </summary>
    internal sealed class CSharpExpressionWriter
    {
        // Precedence: 0 conditional, 1 ||, 2 &&, 3 equality, 4 relational, 5 additive, 6 multiplicative, 7 unary, 8 primary.
        private readonly bool isDouble;
        private readonly string variable;
        private readonly IReadOnlyList<string> parameters;
        private readonly string containingType;
        private readonly IReadOnlyDictionary<Expr, string> hoisted;

        private readonly string? mathType;

        /// <param name="mathType">The class math calls go through; <c>global::System.Math</c>/<c>MathF</c> by default (generated code), the user's own spelling in a code fix.</param>
        public CSharpExpressionWriter(bool isDouble, string variable, IReadOnlyList<string> parameters, string containingType, IReadOnlyDictionary<Expr, string> hoisted, string? mathType = null)
        {
            this.mathType = mathType;
            this.isDouble = isDouble;
            this.variable = variable;
            this.parameters = parameters;
            this.containingType = containingType;
            this.hoisted = hoisted;
        }

        public string MathType => mathType ?? (isDouble ? "global::System.Math" : "global::System.MathF");

        public string Write(Expr e) => Write(e, 0);

        public string Literal(double value) => Literal(value, isDouble);

        /// <summary>Invariant round-trip C# text of a <paramref name="value"/> of the given type: <c>0.01f</c>, <c>2.0</c>.</summary>
        public static string Literal(double value, bool isDouble)
        {
            string type = isDouble ? "double" : "float";
            if (double.IsNaN(value))
            {
                return type + ".NaN";
            }

            if (double.IsInfinity(value))
            {
                return type + (value > 0 ? ".PositiveInfinity" : ".NegativeInfinity");
            }

            if (isDouble)
            {
                string text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
            }

            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        /// <summary>Writes <paramref name="e"/> itself (not its hoisted name) when it is the definition of a local.</summary>
        public string WriteDefinition(Expr e) => Write(e, 0, allowHoisted: false);

        private string Write(Expr e, int context, bool allowHoisted = true)
        {
            if (allowHoisted && hoisted.TryGetValue(e, out var name))
            {
                return name;
            }

            var (text, own) = WriteNode(e);
            return own < context ? "(" + text + ")" : text;
        }

        private (string Text, int Precedence) WriteNode(Expr e)
        {
            switch (e)
            {
                case Constant c:
                    return (Literal(c.Value), c.Value < 0 ? 7 : 8);
                case Variable:
                    return (variable, 8);
                case Parameter p:
                    return (p.Index >= 0 && p.Index < parameters.Count ? parameters[p.Index] : p.Name, 8);
                case Sum sum:
                {
                    var parts = new List<string>();
                    foreach (var term in MathNotation.OrderForReading(sum))
                    {
                        bool negative = Algebra.IsNegated(term, out var magnitude);
                        if (parts.Count == 0)
                        {
                            parts.Add(negative ? "-" + Write(magnitude, 7) : Write(term, 5));
                        }
                        else
                        {
                            parts.Add((negative ? "- " : "+ ") + Write(negative ? magnitude : term, 6));
                        }
                    }

                    return (string.Join(" ", parts), 5);
                }

                case Product product:
                    return WriteProduct(product);
                case Power power:
                    return WritePower(power);
                case Call call:
                {
                    var function = MathFunctions.Of(call.Function);
                    string name = function.CSharpName ?? throw new InvalidOperationException($"{call.Function} has no scalar C# spelling");
                    string owner = function.OnNumericTypeOnly ? (isDouble ? "double" : "float") : MathType;
                    return ($"{owner}.{name}({Write(call.Argument, 0)})", 8);
                }
                case ActivationCall activation:
                {
                    string name = activation.Derivative ? activation.Target.DerivativeName : activation.Target.Name;
                    string owner = activation.Target.ContainingType == containingType ? string.Empty : activation.Target.ContainingType + ".";
                    if (activation.Target.IsDouble == isDouble)
                    {
                        return ($"{owner}{name}({string.Join(", ", activation.Arguments.Select(a => Write(a, 0)))})", 8);
                    }

                    // A callee of the other precision: the user's cast is part of the function, so the
                    // chain rule carries it. Only narrowing needs writing; widening is implicit.
                    if (isDouble)
                    {
                        return ($"{owner}{name}({string.Join(", ", activation.Arguments.Select(a => "(float)" + Write(a, 7)))})", 8);
                    }

                    return ($"(float){owner}{name}({string.Join(", ", activation.Arguments.Select(a => Write(a, 0)))})", 7);
                }

                case Piecewise piecewise:
                {
                    var text = string.Empty;
                    for (int i = 0; i < piecewise.BranchCount; i++)
                    {
                        text += Write(piecewise.Conditions[i], 1) + " ? " + Write(piecewise.Values[i], 1) + " : ";
                    }

                    return (text + Write(piecewise.Otherwise, 0), 0);
                }

                case Comparison comparison:
                {
                    bool equality = comparison.Op is CompareOp.Equal or CompareOp.NotEqual;
                    int own = equality ? 3 : 4;
                    return (Write(comparison.Left, own + 1) + " " + Operator(comparison.Op) + " " + Write(comparison.Right, own + 1), own);
                }

                case Logic { Op: LogicOp.Not } not:
                    return ("!" + Write(not.Operands[0], 8), 7);
                case Logic logic:
                {
                    int own = logic.Op == LogicOp.And ? 2 : 1;
                    return (string.Join(logic.Op == LogicOp.And ? " && " : " || ", logic.Operands.Select(o => Write(o, own + 1))), own);
                }

                case BoolConstant b:
                    return (b.Value ? "true" : "false", 8);
                default:
                    throw new InvalidOperationException("Cannot write a " + e.GetType().Name);
            }
        }

        private (string, int) WriteProduct(Product product)
        {
            var (coefficient, numerator, denominator) = MathNotation.AsFraction(product);

            var top = numerator.Select(f => Write(f, 6)).ToList();
            if (top.Count == 0 || Math.Abs(coefficient) != 1)
            {
                top.Insert(0, Literal(Math.Abs(coefficient)));
            }

            string text = string.Join(" * ", top);
            if (denominator.Count > 0)
            {
                // a / (b * c): the parenthesised product keeps one division.
                string bottom = denominator.Count == 1 ? Write(denominator[0], 7) : "(" + string.Join(" * ", denominator.Select(d => Write(d, 6))) + ")";
                text += " / " + bottom;
            }

            // (−a)·b and −(a·b) are the same number in IEEE arithmetic, so the sign needs no parentheses.
            return coefficient < 0 ? ("-" + text, 6) : (text, 6);
        }

        private (string, int) WritePower(Power power)
        {
            var b = power.Base;
            switch (power.Exponent)
            {
                case Constant { Value: 0.5 }:
                    return ($"{MathType}.Sqrt({Write(b, 0)})", 8);
                case Constant { Value: 2 }:
                    return (Write(b, 7) + " * " + Write(b, 7), 6);
                case Constant { Value: 3 }:
                    return (Write(b, 7) + " * " + Write(b, 7) + " * " + Write(b, 7), 6);
                case Constant { Value: < 0 } negative:
                    return (Literal(1) + " / " + Write(Algebra.Pow(b, Algebra.Num(-negative.Value)), 7), 6);
                default:
                    return ($"{MathType}.Pow({Write(b, 0)}, {Write(power.Exponent, 0)})", 8);
            }
        }

        private static string Operator(CompareOp op) => op switch
        {
            CompareOp.Less => "<",
            CompareOp.LessOrEqual => "<=",
            CompareOp.Greater => ">",
            CompareOp.GreaterOrEqual => ">=",
            CompareOp.Equal => "==",
            _ => "!=",
        };
    }
}
