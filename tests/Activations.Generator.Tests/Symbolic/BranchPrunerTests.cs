using Activations.Generator.Printing;
using Activations.Generator.Symbolic;
using Activations.Generator.Tests.Infrastructure;
using static Activations.Generator.Symbolic.Algebra;

namespace Activations.Generator.Tests.Symbolic;

/// <summary>Branches that the enclosing conditions make unreachable are removed, everywhere they can appear.</summary>
public class BranchPrunerTests
{
    private static string Show(Expr e) => MathNotation.Format(e, "z");

    private static Expr Cmp(CompareOp op, double k) => Compare(op, Z, Num(k));

    private static CompareOp Op(string text) => text switch
    {
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessOrEqual,
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterOrEqual,
        "==" => CompareOp.Equal,
        _ => CompareOp.NotEqual,
    };

    [Fact]
    public void A_nested_condition_that_the_outer_one_decides_is_replaced_by_its_branch()
    {
        var nested = Piecewise(Cmp(CompareOp.GreaterOrEqual, 0), Piecewise(Cmp(CompareOp.Less, 0), Num(7), Exp(Z)), Piecewise(Cmp(CompareOp.Less, 0), Exp(Neg(Z)), Num(9)));
        Assert.Equal("z ≥ 0 ? e^z : e^(−z)", Show(BranchPruner.Prune(nested)));
    }

    [Theory]
    [InlineData("<", 1.0, "<", 2.0, true)]         // z < 1 ⇒ z < 2
    [InlineData("<", 1.0, "<", 1.0, true)]
    [InlineData("<", 1.0, "<=", 1.0, true)]
    [InlineData("<=", 1.0, "<", 1.0, null)]  // z = 1 is in and not below 1
    [InlineData("<", 1.0, ">=", 1.0, false)]
    [InlineData(">=", 3.0, ">", 2.0, true)]
    [InlineData(">", 3.0, "==", 3.0, false)]
    [InlineData(">=", 3.0, "==", 3.0, null)]
    [InlineData(">", 3.0, "!=", 3.0, true)]
    [InlineData(">", -1.0, "<", 5.0, null)]
    public void Inner_conditions_are_decided_exactly_at_open_and_closed_ends(string outerOp, double outerK, string innerOp, double innerK, bool? expected)
    {
        var inner = Piecewise(Cmp(Op(innerOp), innerK), Num(1), Num(2));
        var pruned = BranchPruner.Prune(Piecewise(Cmp(Op(outerOp), outerK), inner, Num(3)));
        var whenOuterHolds = ((Piecewise)pruned).Values[0];
        var expectedValue = expected switch { true => Num(1), false => Num(2), null => inner };
        Assert.Equal(expectedValue, whenOuterHolds);
    }

    [Fact]
    public void The_otherwise_branch_knows_every_earlier_condition_failed()
    {
        // z ≤ −1 ? a : z ≥ 1 ? b : (z < −1 ? dead : (z > 1 ? dead : c))
        var dead = Num(1000);
        var chain = Piecewise(
            new[] { (Cmp(CompareOp.LessOrEqual, -1), Exp(Z)), (Cmp(CompareOp.GreaterOrEqual, 1), Tanh(Z)) },
            Piecewise(Cmp(CompareOp.Less, -1), dead, Piecewise(Cmp(CompareOp.Greater, 1), dead, Mul(Num(2), Z))));
        var pruned = BranchPruner.Prune(chain);
        Assert.DoesNotContain(ExprRewriter.Subexpressions(pruned), e => e.Equals(dead));
    }

    [Fact]
    public void Pruning_never_changes_a_value_for_real_z()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            var expr = RandomPiecewise(random, depth: 4);
            var pruned = BranchPruner.Prune(expr);
            var evaluator = new Evaluator(ActivationLibrary.Empty);
            foreach (double z in new[] { -1000, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 1000 })
            {
                Assert.Equal(evaluator.Evaluate(expr, z, Array.Empty<double>()), evaluator.Evaluate(pruned, z, Array.Empty<double>()));
            }
        }
    }

    [Fact]
    public void A_generated_stable_softplus_derivative_has_no_contradicting_branches()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Softplus(float z) => MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));
                [Activation] public static float Mixed(float z) => MathF.Abs(z) * MathF.Abs(z - 1f) * MathF.Max(z, 0f);
            }
            """);
        foreach (string name in new[] { "Act.Softplus.", "Act.Mixed." })
        {
            string source = run.Source(name);
            Assert.DoesNotContain("if (z >= 0f)\n            {\n                if (z < 0f)", source, StringComparison.Ordinal);
            Assert.DoesNotContain("z ≥ 0 ? (z &lt; 0", source, StringComparison.Ordinal);
        }

        Assert.Empty(run.CompilationErrors);
    }

    private static Expr RandomPiecewise(Random random, int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return random.Next(3) switch { 0 => Num(random.Next(-3, 4)), 1 => Z, _ => Mul(Num(random.Next(1, 4)), Z) };
        }

        var ops = new[] { CompareOp.Less, CompareOp.LessOrEqual, CompareOp.Greater, CompareOp.GreaterOrEqual, CompareOp.Equal, CompareOp.NotEqual };
        var condition = Cmp(ops[random.Next(ops.Length)], random.Next(-2, 3) / 2.0 * 2);
        if (random.Next(5) == 0)
        {
            condition = random.Next(2) == 0 ? And(condition, Cmp(CompareOp.Less, random.Next(-2, 3))) : Not(condition);
        }

        return Piecewise(condition, RandomPiecewise(random, depth - 1), RandomPiecewise(random, depth - 1));
    }
}
