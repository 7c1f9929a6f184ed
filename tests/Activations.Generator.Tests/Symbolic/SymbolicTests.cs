using Activations.Generator.Calculus;
using Activations.Generator.Simplification;
using Activations.Generator.Printing;
using Activations.Generator.Symbolic;
using static Activations.Generator.Symbolic.Algebra;

namespace Activations.Generator.Tests.Symbolic;

/// <summary>Unit tests of the expression algebra, differentiation, kinks, stabilisation and output forms.</summary>
public class SymbolicTests
{
    private static readonly Expr Two = Num(2);
    private static readonly Expr Alpha = new Parameter(0, "alpha");

    private static string Show(Expr e, string variable = "z") => MathNotation.Format(e, variable);

    private static Expr Sigmoid => Reciprocal(Add(Num(1), Exp(Neg(Z))));

    [Fact]
    public void Canonical_form_merges_like_terms_and_factors()
    {
        Assert.Equal("5·z", Show(Add(Mul(Two, Z), Mul(Num(3), Z))));
        Assert.Equal("z²", Show(Mul(Z, Z)));
        Assert.Equal("1", Show(Mul(Exp(Z), Exp(Neg(Z)))));
        Assert.Equal("0", Show(Sub(Tanh(Z), Tanh(Z))));
        Assert.Equal(Add(Z, Num(1)), Add(Num(1), Z)); // order does not matter
        Assert.Equal(Add(Z, Num(1)).GetHashCode(), Add(Num(1), Z).GetHashCode());
    }

    [Fact]
    public void Subtraction_and_division_are_sums_and_products()
    {
        Assert.Equal(Add(Num(2), Mul(Num(-2), Z)), Sub(Num(1), Sub(Mul(Two, Z), Num(1))));
        Assert.Equal(Mul(Z, Pow(Add(Num(1), Z), Num(-1))), Div(Z, Add(Num(1), Z)));
        Assert.Equal(Z, Log(Exp(Z)));
    }

    [Fact]
    public void Max_min_abs_and_clamp_become_one_flat_piecewise_chain()
    {
        Assert.Equal("z ≤ 0 ? 0 : z", Show(Max(Num(0), Z)));
        Assert.Equal("z ≤ 0 ? 0 : z ≤ 6 ? z : 6", Show(Min(Max(Num(0), Z), Num(6))));
        Assert.Equal("z < 0 ? −z : z", Show(Abs(Z)));
        Assert.Equal("z < −1 ? −1 : z > 1 ? 1 : z", Show(Clamp(Z, Num(-1), Num(1))));
        Assert.Equal("z ≥ 0", Show(Or(Compare(CompareOp.Equal, Z, Num(0)), Compare(CompareOp.Greater, Z, Num(0)))));
    }

    [Fact]
    public void Differentiation_follows_the_rules_of_calculus()
    {
        Assert.Equal("3·z²", Show(Differentiator.Differentiate(Pow(Z, Num(3)))));
        Assert.Equal("e^z", Show(Differentiator.Differentiate(Exp(Z))));
        Assert.Equal("1/z", Show(Differentiator.Differentiate(Log(Z))));
        Assert.Equal("(1 − tanh(z))·(1 + tanh(z))", Show(Differentiator.Differentiate(Tanh(Z))));
        Assert.Equal("2·cos(2·z)", Show(Differentiator.Differentiate(Apply(MathFunction.Sin, Mul(Two, Z)))));
        Assert.Equal("alpha", Show(Differentiator.Differentiate(Mul(Alpha, Z))));
        Assert.Equal("z > 0 ? 1 : 0.01", Show(Differentiator.Differentiate(Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(0.01), Z)))));
    }

    [Fact]
    public void Derivatives_agree_with_central_differences()
    {
        var functions = new[]
        {
            Sigmoid,
            Mul(Z, Tanh(Log(Add(Num(1), Exp(Z))))),
            Div(Z, Add(Num(1), Pow(Z, Two))),
            Pow(Add(Num(1), Pow(Z, Two)), Num(0.5)),
            Apply(MathFunction.Atan, Mul(Num(3), Z)),
            Pow(Add(Num(2), Apply(MathFunction.Cos, Z)), Z),
        };
        var evaluator = new Evaluator(ActivationLibrary.Empty);
        foreach (var g in functions)
        {
            var forms = DerivativeBuilder.Build(g, ActivationLibrary.Empty);
            foreach (double z in new[] { -3.1, -0.7, 0.4, 1.3, 2.9 })
            {
                const double h = 1e-5;
                double numeric = (evaluator.Evaluate(g, z + h, Array.Empty<double>()) - evaluator.Evaluate(g, z - h, Array.Empty<double>())) / (2 * h);
                double symbolic = evaluator.Evaluate(forms.InputForm, z, Array.Empty<double>());
                Assert.True(Math.Abs(numeric - symbolic) < 1e-7 * (1 + Math.Abs(numeric)), $"{g} at {z}: {symbolic} vs {numeric}");
            }
        }
    }

    [Fact]
    public void Kinks_take_the_smallest_magnitude_subgradient_whatever_the_spelling()
    {
        var evaluator = new Evaluator(ActivationLibrary.Empty);
        double At0(Expr g) => evaluator.Evaluate(KinkResolver.Resolve(Differentiator.Differentiate(g)), 0, Array.Empty<double>());
        Assert.Equal(0, At0(Max(Z, Num(0))));
        Assert.Equal(0, At0(Max(Num(0), Z)));
        Assert.Equal(0, At0(Mul(Num(0.5), Add(Z, Abs(Z)))));
        Assert.Equal(0, At0(Abs(Z)));
        Assert.Equal(0.01, At0(Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(0.01), Z))));
        Assert.Equal(0.5, At0(Piecewise(Compare(CompareOp.Less, Z, Num(0)), Mul(Num(0.5), Z), Mul(Num(2), Z))));
    }

    [Fact]
    public void Stabilisation_removes_infinity_over_infinity()
    {
        var naive = Differentiator.Differentiate(Log(Add(Num(1), Exp(Z))));
        Assert.Equal("e^z/(1 + e^z)", Show(naive));
        Assert.Equal("1/(1 + e^(−z))", Show(Stabilizer.Stabilize(naive)));

        var sigmoidNaive = Differentiator.Differentiate(Sigmoid);
        var stable = Stabilizer.Stabilize(sigmoidNaive);
        var single = new Evaluator(ActivationLibrary.Empty, single: true);
        Assert.True(double.IsNaN(single.Evaluate(sigmoidNaive, -100, Array.Empty<double>())));
        Assert.Equal(0, single.Evaluate(stable, -100, Array.Empty<double>()));
    }

    [Theory]
    [InlineData("sigmoid", "y·(1 − y)")]
    [InlineData("tanh", "(1 + y)·(1 − y)")]
    [InlineData("softplus", "1 − e^(−y)")]
    [InlineData("relu", "y > 0 ? 1 : 0")]
    [InlineData("elu", "y > 0 ? 1 : 1 + y")]
    [InlineData("leaky", "y > 0 ? 1 : 0.01")]
    [InlineData("sigmoid-through-tanh", "y·(1 − y)")]
    [InlineData("sigmoid-as-ratio", "y·(1 − y)")]
    [InlineData("swish", null)]
    [InlineData("negative-slope", null)]
    [InlineData("parameter-slope", null)]
    public void Output_forms_are_found_where_exact_and_only_there(string name, string? expected)
    {
        var g = name switch
        {
            "sigmoid" => Sigmoid,
            "tanh" => Tanh(Z),
            "softplus" => Log(Add(Num(1), Exp(Z))),
            "relu" => Max(Num(0), Z),
            "elu" => Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Sub(Exp(Z), Num(1))),
            "leaky" => Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(0.01), Z)),
            "sigmoid-through-tanh" => Mul(Num(0.5), Add(Num(1), Tanh(Mul(Num(0.5), Z)))),
            "sigmoid-as-ratio" => Div(Exp(Z), Add(Num(1), Exp(Z))),
            "swish" => Mul(Z, Sigmoid),
            "negative-slope" => Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(-0.5), Z)), // y > 0 on both sides
            _ => Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Alpha, Z)),
        };
        var forms = DerivativeBuilder.Build(g, ActivationLibrary.Empty);
        Assert.Equal(expected, forms.OutputForm is null ? null : Show(forms.OutputForm, "y"));
    }

    [Fact]
    public void Polynomials_with_rational_roots_are_factored_by_them()
    {
        Expr Poly(params double[] c) => Add(c.Select((k, i) => Mul(Num(k), Pow(Z, Num(i)))));

        Assert.Equal("y·(1 − 2·y)·(1 − y)", Show(RationalRoots.Factor(Poly(0, 1, -3, 2))!, "y"));
        Assert.Equal("−2·y·(1 + y)·(1 − y)", Show(RationalRoots.Factor(Poly(0, -2, 0, 2))!, "y"));
        Assert.Equal("0.25·(1 − 2·y)·(1 + 2·y)", Show(RationalRoots.Factor(Poly(0.25, 0, -1))!, "y"));
        Assert.Equal("(1 + y²)·(1 − y)", Show(RationalRoots.Factor(Poly(1, -1, 1, -1))!, "y")); // the irreducible rest stays
        Assert.Null(RationalRoots.Factor(Poly(1, 0, 1)));   // y² + 1 has no real root
        Assert.Null(RationalRoots.Factor(Poly(0, 0, 1)));   // y² is a power already
        Assert.Null(RationalRoots.Factor(Poly(-2, 0, 1)));  // √2 is not rational
        Assert.Null(RationalRoots.Factor(Add(new[] { Num(1), Mul(Alpha, Z), Pow(Z, Two) }))); // a hyperparameter coefficient
    }

    [Fact]
    public void Expressions_compare_by_structure_not_by_reference()
    {
        var a = Mul(Z, Tanh(Log(Add(Num(1), Exp(Z)))));
        var b = Mul(Z, Tanh(Log(Add(Num(1), Exp(Z)))));
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Mul(Z, Tanh(Log(Add(Num(2), Exp(Z))))));
    }
}
