using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Activations.Generator.Symbolic
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

            var ks = breakpoints.Cast<Constant>().Select(k => k.Value).OrderBy(k => k).ToList();
            var zones = new List<DeadZone>();
            AddIfDead(derivative, ks[0], towardsPlusInfinity: false, zones);
            AddIfDead(derivative, ks[ks.Count - 1], towardsPlusInfinity: true, zones);
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

        private static void AddIfDead(Expr derivative, double boundary, bool towardsPlusInfinity, List<DeadZone> zones)
        {
            double inside = towardsPlusInfinity ? boundary + 1 : boundary - 1;
            var piece = KinkResolver.SelectBranches(derivative, inside);
            if (piece is null || !piece.IsConstant(0))
            {
                return;
            }

            var atBoundary = KinkResolver.ValueNear(derivative, Algebra.Num(boundary), side: 0);
            zones.Add(new DeadZone(boundary, towardsPlusInfinity, atBoundary is not null && atBoundary.IsConstant(0)));
        }
    }
}
