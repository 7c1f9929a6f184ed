using Activations.Generator.Calculus;
using Activations.Generator.Simplification;

namespace Activations.Generator.OutputForms
{
    /// <summary>
    /// Looks for G with g′(z) = G(g(z)) for every z: the derivative written through the output.
    /// <list type="number">
    /// <item><description>Walk g from the root towards z, inverting one step at a time (±c, ·c, reciprocal,
    /// odd and fractional powers, exp↔log, tanh, sinh, the Möbius form (a·u + b)/(c·u + d)); every node on
    /// the way is a candidate carrier u with u = h⁻¹(y) known.</description></item>
    /// <item><description>Take the shallowest carrier that holds every z of g′ (exponentials e^(m·w) count as
    /// (e^w)^m), substitute, and keep the result if it is free of z.</description></item>
    /// <item><description>Piecewise g: solve each region between breakpoints on its own, then prove with
    /// interval arithmetic that the regions' ranges are separate, so that y decides the branch.</description></item>
    /// <item><description>Check the candidate numerically against g′ before accepting it: a wrong identity never ships.</description></item>
    /// </list>
    /// </summary>
    internal static class OutputFormSolver
    {
        /// <summary>
        /// Bodies larger than this (distinct nodes) are not searched for an output form. The catalogue's bodies
        /// have 2 to 13 (GELU's tanh form and softsign have the most).
        /// </summary>
        private const int MaxSearchedNodes = 120;

        /// <summary>Stands for y while solving, so that y and z can both appear in one expression.</summary>
        private static readonly Parameter Output = new(-1, "y");

        /// <summary>The free variable of an affine test in the Möbius step.</summary>
        private static readonly Parameter Probe = new(-2, "t");

        /// <summary>Returns G as an expression in <see cref="Variable"/> (standing for y), or null.</summary>
        public static Expr? TrySolve(Expr forward, Expr derivative, ActivationLibrary library, int parameterCount)
        {
            if (ExprRewriter.Subexpressions(forward).Count() > MaxSearchedNodes)
            {
                return null; // the search peels g layer by layer and expands; on a long body it costs seconds and finds nothing
            }

            var breakpoints = KinkResolver.Breakpoints(forward).Concat(KinkResolver.Breakpoints(derivative)).Distinct().ToList();
            Expr? candidate = breakpoints.Count == 0 && !ExprRewriter.Contains(forward, e => e is Piecewise || e is Comparison)
                ? SolveSmooth(forward, derivative)
                : SolvePiecewise(forward, derivative, breakpoints);
            if (candidate is null)
            {
                return null;
            }

            var check = new OutputFormCheck(forward, derivative, library, parameterCount, breakpoints);
            var failures = check.Failures(candidate);
            if (failures.Count == 0)
            {
                return candidate;
            }

            // A kink whose convention the branch formula misses: name the kink's output explicitly.
            if (failures.All(z => breakpoints.OfType<Constant>().Any(k => k.Value == z)))
            {
                var evaluator = new Evaluator(library);
                var fixes = new List<(Expr, Expr)>();
                foreach (double z in failures.Distinct())
                {
                    double y = evaluator.Evaluate(forward, z, Array.Empty<double>());
                    double slope = evaluator.Evaluate(derivative, z, Array.Empty<double>());
                    fixes.Add((Algebra.Compare(CompareOp.Equal, Algebra.Z, Algebra.Num(y)), Algebra.Num(slope)));
                }

                var patched = Algebra.Piecewise(fixes, candidate);
                if (check.Failures(patched).Count == 0)
                {
                    return patched;
                }
            }

            return null;
        }

        private static Expr? SolveSmooth(Expr g, Expr derivative)
        {
            foreach (var (carrier, inverse) in InversionPath(g))
            {
                var substituted = SubstituteCarrier(derivative, carrier, inverse);
                if (!substituted.ContainsVariable)
                {
                    return Simplifier.Tidy(ExprRewriter.Substitute(substituted, Output, Algebra.Z));
                }
            }

            return null;
        }

        private static Expr? SolvePiecewise(Expr g, Expr derivative, List<Expr> breakpoints)
        {
            if (breakpoints.Any(k => k is not Constant) || ExprRewriter.Contains(g, e => e is Parameter) || ExprRewriter.Contains(derivative, e => e is Parameter))
            {
                return null; // the proof needs known numbers: a slope of unknown sign may fold branches onto each other
            }

            var ks = breakpoints.Cast<Constant>().Select(k => k.Value).OrderBy(k => k).ToList();
            var regions = new List<(Interval Range, Expr Form)>();
            for (int i = 0; i <= ks.Count; i++)
            {
                double lo = i == 0 ? double.NegativeInfinity : ks[i - 1];
                double hi = i == ks.Count ? double.PositiveInfinity : ks[i];
                double inside = double.IsNegativeInfinity(lo) ? hi - 1 : double.IsPositiveInfinity(hi) ? lo + 1 : (lo + hi) / 2;
                var gHere = KinkResolver.SelectBranches(g, inside);
                var dHere = KinkResolver.SelectBranches(derivative, inside);
                if (gHere is null || dHere is null)
                {
                    return null;
                }

                var form = dHere.ContainsVariable ? SolveSmooth(gHere, dHere) : dHere;
                var range = Interval.RangeOf(gHere, Interval.Open(lo, hi));
                if (form is null || range is null)
                {
                    return null;
                }

                regions.Add((range.Value, form));
            }

            regions.Sort((a, b) => a.Range.Lo.CompareTo(b.Range.Lo));
            for (int i = 1; i < regions.Count; i++)
            {
                if (!regions[i - 1].Range.IsBelow(regions[i].Range))
                {
                    return null;
                }
            }

            // Highest range first: y > t₁ ? G₁ : y > t₂ ? G₂ : … : Gₙ.
            var branches = new List<(Expr, Expr)>();
            for (int i = regions.Count - 1; i >= 1; i--)
            {
                var (range, form) = regions[i];
                var below = regions[i - 1].Range;
                var condition = below.Hi == range.Lo && !range.LoOpen
                    ? Algebra.Compare(CompareOp.GreaterOrEqual, Algebra.Z, Algebra.Num(range.Lo))
                    : Algebra.Compare(CompareOp.Greater, Algebra.Z, Algebra.Num(below.Hi));
                branches.Add((condition, form));
            }

            return Algebra.Piecewise(branches, regions[0].Form);
        }

        /// <summary>The nodes from g's root towards z, each with its value written through y.</summary>
        private static IEnumerable<(Expr Carrier, Expr Inverse)> InversionPath(Expr g)
        {
            Expr node = g;
            Expr inverse = Output;
            for (int depth = 0; depth < 64; depth++)
            {
                yield return (node, inverse);
                var step = Invert(node, inverse);
                if (step is null)
                {
                    yield break;
                }

                (node, inverse) = step.Value;
            }
        }

        /// <summary>One step down: given node = r, the child that carries z and its value in terms of r.</summary>
        private static (Expr Child, Expr Inverse)? Invert(Expr node, Expr r)
        {
            switch (node)
            {
                case Sum sum when sum.Terms.Count(t => t.ContainsVariable) == 1:
                    var term = sum.Terms.First(t => t.ContainsVariable);
                    return (term, Algebra.Sub(r, Algebra.Add(sum.Terms.Where(t => !t.ContainsVariable))));
                case Product product when product.Factors.Count(f => f.ContainsVariable) == 1:
                    var factor = product.Factors.First(f => f.ContainsVariable);
                    return (factor, Algebra.Div(r, Algebra.Mul(product.Factors.Where(f => !f.ContainsVariable))));
                case Product product:
                    return InvertMobius(product, r);
                case Power { Exponent: Constant e } power when e.Value == -1 || (Algebra.IsInteger(e.Value) && Math.Abs(e.Value % 2) == 1) || !Algebra.IsInteger(e.Value):
                    // Even powers lose the sign; fractional powers are only defined for a base ≥ 0, odd ones keep it.
                    return (power.Base, Algebra.Pow(r, Algebra.Num(1 / e.Value)));
                case Call call when MathFunctions.Of(call.Function).Inverse is { } inverse:
                    return (call.Argument, inverse(r));
                default:
                    return null;
            }
        }

        /// <summary>y = (a·u + b)/(c·u + d) ⇒ u = (d·y − b)/(a − c·y), for a subterm u that both parts are affine in.</summary>
        private static (Expr Child, Expr Inverse)? InvertMobius(Product product, Expr r)
        {
            var denominators = product.Factors.Where(f => f is Power { Exponent: Constant { Value: -1 } } && f.ContainsVariable).ToList();
            if (denominators.Count != 1)
            {
                return null;
            }

            var denominator = ((Power)denominators[0]).Base;
            var numerator = Algebra.Mul(product.Factors.Where(f => !ReferenceEquals(f, denominators[0])));
            var candidates = ExprRewriter.Subexpressions(denominator)
                .Where(e => e.ContainsVariable && !e.Equals(denominator))
                .Reverse(); // larger subterms first: fewer steps left to invert
            foreach (var u in candidates)
            {
                if (TryAffine(numerator, u, out var a, out var b) && TryAffine(denominator, u, out var c, out var d))
                {
                    var inverse = Algebra.Div(Algebra.Sub(Algebra.Mul(d, r), b), Algebra.Sub(a, Algebra.Mul(c, r)));
                    return (u, inverse);
                }
            }

            return null;
        }

        private static bool TryAffine(Expr e, Expr u, out Expr slope, out Expr intercept)
        {
            slope = intercept = Constant.Zero;
            var inT = ExprRewriter.Substitute(e, u, Probe);
            if (inT.ContainsVariable)
            {
                return false;
            }

            var asLinear = ExprRewriter.Substitute(inT, Probe, Algebra.Z);
            if (!Algebra.TryLinear(asLinear, out double a, out var b))
            {
                return false;
            }

            slope = Algebra.Num(a);
            intercept = b;
            return true;
        }

        /// <summary>Replaces the carrier u by its inverse; e^(m·w) is (e^w)^m when u = e^w.</summary>
        private static Expr SubstituteCarrier(Expr derivative, Expr carrier, Expr inverse) =>
            ExprRewriter.Rewrite(derivative, node =>
            {
                if (node.Equals(carrier))
                {
                    return inverse;
                }

                if (carrier is Call { Function: MathFunction.Exp } u && node is Call { Function: MathFunction.Exp } v)
                {
                    var (cv, coreV) = Algebra.SplitCoefficient(v.Argument);
                    var (cu, coreU) = Algebra.SplitCoefficient(u.Argument);
                    if (coreV.Equals(coreU) && cu != 0)
                    {
                        return Algebra.Pow(inverse, Algebra.Num(cv / cu));
                    }
                }

                return null;
            });
    }

    /// <summary>Compares a candidate G(g(z)) with g′(z) at many points, hyperparameters included.</summary>
    internal sealed class OutputFormCheck
    {
        private static readonly double[][] ParameterProbes =
        {
            new[] { 1.0, 1.0, 1.0, 1.0 },
            new[] { 0.5, 2.0, 0.25, 3.0 },
            new[] { 2.0, 0.5, 3.0, 0.25 },
            new[] { -1.5, 1.5, -0.5, 2.5 },
            new[] { 0.0, 0.0, 0.0, 0.0 },
        };

        private readonly Expr forward;
        private readonly Expr derivative;
        private readonly Evaluator evaluator;
        private readonly int parameterCount;
        private readonly List<double> points = new();

        public OutputFormCheck(Expr forward, Expr derivative, ActivationLibrary library, int parameterCount, IEnumerable<Expr> breakpoints)
        {
            this.forward = forward;
            this.derivative = derivative;
            this.parameterCount = parameterCount;
            evaluator = new Evaluator(library);
            for (double z = -10; z <= 10; z += 0.3125)
            {
                points.Add(z);
            }

            foreach (var k in breakpoints.OfType<Constant>())
            {
                points.AddRange(new[] { k.Value, k.Value - 1e-3, k.Value + 1e-3, k.Value - 0.5, k.Value + 0.5 });
            }
        }

        /// <summary>The points z at which G(g(z)) and g′(z) disagree (both finite); all of them if too few compared.</summary>
        public List<double> Failures(Expr candidate)
        {
            var failures = new List<double>();
            int compared = 0;
            var probes = parameterCount == 0 ? ParameterProbes.Take(1) : ParameterProbes;
            foreach (var probe in probes)
            {
                var parameters = probe.Take(parameterCount).ToArray();
                foreach (double z in points)
                {
                    double y = evaluator.Evaluate(forward, z, parameters);
                    double expected = evaluator.Evaluate(derivative, z, parameters);
                    if (!IsFinite(y) || !IsFinite(expected))
                    {
                        continue;
                    }

                    double actual = evaluator.Evaluate(candidate, y, parameters);
                    compared++;
                    if (!(Math.Abs(actual - expected) <= 1e-7 * (1 + Math.Abs(expected))))
                    {
                        failures.Add(z);
                    }
                }
            }

            return compared < 10 ? points : failures;
        }

        private static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);
    }
}
