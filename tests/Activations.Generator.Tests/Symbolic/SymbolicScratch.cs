using Activations.Generator.Symbolic;
using static Activations.Generator.Symbolic.Algebra;
using Xunit.Abstractions;

namespace Activations.Generator.Tests.Symbolic;

public class SymbolicScratch(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        var cases = new (string, Expr)[]
        {
            ("sigmoid", Reciprocal(Add(Num(1), Exp(Neg(Z))))),
            ("sigmoid2", Div(Exp(Z), Add(Num(1), Exp(Z)))),
            ("sigmoid3", Mul(Num(0.5), Add(Num(1), Tanh(Mul(Num(0.5), Z))))),
            ("tanh", Tanh(Z)),
            ("relu", Max(Num(0), Z)),
            ("relu2", Max(Z, Num(0))),
            ("relu3", Mul(Num(0.5), Add(Z, Abs(Z)))),
            ("leaky", Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(0.01), Z))),
            ("elu", Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Sub(Exp(Z), Num(1)))),
            ("selu", Mul(Num(1.0507), Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(Num(1.67326), Sub(Exp(Z), Num(1)))))),
            ("softplus", Log(Add(Num(1), Exp(Z)))),
            ("mish", Mul(Z, Tanh(Log(Add(Num(1), Exp(Z)))))),
            ("hardtanh", Clamp(Z, Num(-1), Num(1))),
            ("relu6", Min(Max(Num(0), Z), Num(6))),
            ("hardsigmoid", Clamp(Add(Mul(Num(0.2), Z), Num(0.5)), Num(0), Num(1))),
            ("softsign", Div(Z, Add(Num(1), Abs(Z)))),
            ("elu-param", Piecewise(Compare(CompareOp.Greater, Z, Num(0)), Z, Mul(new Parameter(0, "alpha"), Sub(Exp(Z), Num(1))))),
            ("gelu", Mul(new[]{Num(0.5), Z, Add(Num(1), Tanh(Mul(Num(0.7978845608), Add(Z, Mul(Num(0.044715), Pow(Z, Num(3)))))))})),
        };
        foreach (var (name, g) in cases)
        {
            var forms = DerivativeBuilder.Build(g, ActivationLibrary.Empty);
            output.WriteLine($"{name}: g = {g}");
            output.WriteLine($"   g' = {forms.InputForm}   (usesOutput={forms.InputFormUsesOutput})");
            output.WriteLine($"   G(y) = {(forms.OutputForm is null ? "none" : MathNotation.Format(forms.OutputForm, "y"))}");
        }
    }
}
