using System.Globalization;

namespace Activations.Generator.Calculus
{
    /// <summary>An unbounded interval of z on which the derivative is identically zero.</summary>
    internal sealed record DeadZone(double Boundary, bool ExtendsToPlusInfinity, bool IncludesBoundary)
    {
        public string Describe(string variable)
        {
            string op = ExtendsToPlusInfinity ? (IncludesBoundary ? "≥" : ">") : (IncludesBoundary ? "≤" : "<");
            string number = Boundary.ToString("R", CultureInfo.InvariantCulture).Replace("-", "−");
            return $"{variable} {op} {number}";
        }
    }

    /// <summary>
    /// Decides, from the derivative alone, where the gradient is identically zero on a half-line: the
    /// dead-neuron risk. The real line is split at the derivative's breakpoints; on the two unbounded
    /// pieces the derivative is one expression, and a piece is dead when that expression is the constant 0.
    /// Vanishing at a point or only in the limit (the sigmoid's tails) is not a dead zone.
    /// </summary>
    internal static class DeadZoneFinder
    {
        public static IReadOnlyList<DeadZone> Find(Expr derivative)
        {
            var breakpoints = KinkResolver.Breakpoints(derivative);
            if (breakpoints.Count == 0)
            {
                // No conditions on z at all: dead everywhere or nowhere.
                bool constantZero = derivative.IsConstant(0);
                return constantZero ? new[] { new DeadZone(double.NegativeInfinity, true, true) } : new DeadZone[0];
            }

            if (breakpoints.Any(k => k is not Constant))
            {
                return new DeadZone[0]; // a breakpoint that moves with a hyperparameter: nothing is certain
            }

            var ks = breakpoints.Cast<Constant>().Select(k => k.Value).Distinct().OrderBy(k => k).ToList();
            var zones = new List<DeadZone>();
            AddIfDead(derivative, ks, towardsPlusInfinity: false, zones);
            AddIfDead(derivative, ks, towardsPlusInfinity: true, zones);
            return zones;
        }

        /// <summary>Words for a message: "for every z ≤ 0", "for z ≤ −1 and z ≥ 1".</summary>
        public static string Describe(IReadOnlyList<DeadZone> zones, string variable)
        {
            if (zones.Count == 1 && double.IsNegativeInfinity(zones[0].Boundary))
            {
                return "for every " + variable;
            }

            return zones.Count == 1
                ? "for every " + zones[0].Describe(variable)
                : "for " + string.Join(" and ", zones.Select(z => z.Describe(variable)));
        }

        /// <summary>
        /// Starts at the outermost breakpoint and walks inwards while the derivative stays 0, so that the
        /// zone ends at the breakpoint where the function really starts to move. Conditions of branches that
        /// are never taken leave breakpoints behind too (ReLU6 after its fix has one at 600, from the
        /// unreachable 0.01·z &lt; 6), and the outermost breakpoint is not always the zone's end.
        /// </summary>
        private static void AddIfDead(Expr derivative, List<double> ks, bool towardsPlusInfinity, List<DeadZone> zones)
        {
            int step = towardsPlusInfinity ? -1 : 1;
            int at = towardsPlusInfinity ? ks.Count - 1 : 0;
            double outside = towardsPlusInfinity ? ks[at] + 1 : ks[at] - 1;
            if (!IsZeroAt(derivative, outside))
            {
                return;
            }

            for (int next = at + step; next >= 0 && next < ks.Count; next += step)
            {
                double between = (ks[at] + ks[next]) / 2;
                if (!IsZeroAt(derivative, between) || !IsZeroAtBreakpoint(derivative, ks[at]))
                {
                    break;
                }

                at = next;
            }

            zones.Add(new DeadZone(ks[at], towardsPlusInfinity, IsZeroAtBreakpoint(derivative, ks[at])));
        }

        private static bool IsZeroAt(Expr derivative, double point) =>
            KinkResolver.SelectBranches(derivative, point) is { } piece && piece.IsConstant(0);

        private static bool IsZeroAtBreakpoint(Expr derivative, double k) =>
            KinkResolver.ValueNear(derivative, Algebra.Num(k), side: 0) is { } value && value.IsConstant(0);
    }
}
