using System.Globalization;
using System.Text;

namespace Activations.Generator.Tests.Differential;

/// <summary>A random activation body as a small tree, so that a failing case can be shrunk and re-rendered.</summary>
public abstract record Node
{
    public abstract string Render(bool isFloat);

    /// <summary>Smaller trees to try when shrinking a failure: children, and the leaves z and 1.</summary>
    public virtual IEnumerable<Node> Shrinks() => Enumerable.Empty<Node>();

    public abstract int Size { get; }

    protected static string Literal(double value, bool isFloat) =>
        isFloat
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f"
            : value.ToString("R", CultureInfo.InvariantCulture) + (value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ".0" : string.Empty);

    protected static string MathType(bool isFloat) => isFloat ? "MathF" : "Math";
}

public sealed record Z : Node
{
    public override string Render(bool isFloat) => "z";

    public override int Size => 1;
}

public sealed record Alpha : Node
{
    public override string Render(bool isFloat) => "alpha";

    public override int Size => 1;
}

public sealed record Num(double Value) : Node
{
    public override string Render(bool isFloat) => Value < 0 ? "(" + Literal(Value, isFloat) + ")" : Literal(Value, isFloat);

    public override int Size => 1;
}

public sealed record Binary(char Op, Node Left, Node Right) : Node
{
    public override string Render(bool isFloat) => Op == '/'
        ? $"({Left.Render(isFloat)} / (1{(isFloat ? "f" : ".0")} + {Right.Render(isFloat)} * {Right.Render(isFloat)}))"
        : $"({Left.Render(isFloat)} {Op} {Right.Render(isFloat)})";

    public override IEnumerable<Node> Shrinks() => new[] { Left, Right, new Z(), this with { Left = new Z() }, this with { Right = new Num(1) } };

    public override int Size => 1 + Left.Size + Right.Size;
}

public sealed record Negate(Node Operand) : Node
{
    public override string Render(bool isFloat) => $"(-({Operand.Render(isFloat)}))";

    public override IEnumerable<Node> Shrinks() => new[] { Operand, new Z() };

    public override int Size => 1 + Operand.Size;
}

/// <summary>A math call; arguments of Log, Sqrt and Pow are kept positive so the function is defined.</summary>
public sealed record Function(string Name, Node Argument, double Parameter = 0) : Node
{
    public override string Render(bool isFloat)
    {
        string m = MathType(isFloat);
        string a = Argument.Render(isFloat);
        string one = isFloat ? "1f" : "1.0";
        return Name switch
        {
            "Log" => $"{m}.Log({one} + {a} * {a})",
            "Sqrt" => $"{m}.Sqrt({one} + {a} * {a})",
            "Pow" => $"{m}.Pow({one} + {a} * {a}, {Literal(Parameter, isFloat)})",
            "Exp" => $"{m}.Exp({m}.Tanh({a}) * {Literal(3, isFloat)})",
            _ => $"{m}.{Name}({a})",
        };
    }

    public override IEnumerable<Node> Shrinks() => new[] { Argument, new Z(), this with { Argument = new Z() } };

    public override int Size => 1 + Argument.Size;
}

public sealed record MinMax(string Name, Node Left, Node Right) : Node
{
    public override string Render(bool isFloat) => $"{MathType(isFloat)}.{Name}({Left.Render(isFloat)}, {Right.Render(isFloat)})";

    public override IEnumerable<Node> Shrinks() => new[] { Left, Right, this with { Left = new Z() }, this with { Right = new Num(0) } };

    public override int Size => 1 + Left.Size + Right.Size;
}

public sealed record ClampNode(Node Value, double Low, double High) : Node
{
    public override string Render(bool isFloat) => $"Math.Clamp({Value.Render(isFloat)}, {Literal(Low, isFloat)}, {Literal(High, isFloat)})";

    public override IEnumerable<Node> Shrinks() => new[] { Value, this with { Value = new Z() } };

    public override int Size => 1 + Value.Size;
}

public sealed record Ternary(double Threshold, Node WhenTrue, Node WhenFalse) : Node
{
    public override string Render(bool isFloat) => $"(z > {Literal(Threshold, isFloat)} ? {WhenTrue.Render(isFloat)} : {WhenFalse.Render(isFloat)})";

    public override IEnumerable<Node> Shrinks() => new[] { WhenTrue, WhenFalse, this with { WhenTrue = new Z() }, this with { WhenFalse = new Num(0) } };

    public override int Size => 1 + WhenTrue.Size + WhenFalse.Size;
}

/// <summary>A call to one of the batch's base activations (chain rule through generated derivatives).</summary>
public sealed record CallActivation(string Name, Node Argument) : Node
{
    public override string Render(bool isFloat) => $"{Name}{(isFloat ? "F" : string.Empty)}({Argument.Render(isFloat)})";

    public override IEnumerable<Node> Shrinks() => new[] { Argument, this with { Argument = new Z() } };

    public override int Size => 1 + Argument.Size;
}

/// <summary>One random activation: a body, rendered as an expression body or as an if/return block.</summary>
public sealed record RandomActivation(int Index, Node Body, bool AsIfChain, double Threshold, Node? Otherwise)
{
    public string Name => "R" + Index.ToString(CultureInfo.InvariantCulture);

    public string Render(bool isFloat)
    {
        string T = isFloat ? "float" : "double";
        string name = Name + (isFloat ? "F" : string.Empty);
        if (AsIfChain && Otherwise is not null)
        {
            string threshold = isFloat ? ((float)Threshold).ToString("R", CultureInfo.InvariantCulture) + "f" : Threshold.ToString("R", CultureInfo.InvariantCulture);
            return $"[Activation] public static {T} {name}({T} z, {T} alpha)\n{{\n    if (z < {threshold}) return {Otherwise.Render(isFloat)};\n    {T} body = {Body.Render(isFloat)};\n    return body;\n}}";
        }

        return $"[Activation] public static {T} {name}({T} z, {T} alpha) => {Body.Render(isFloat)};";
    }

    public int Size => Body.Size + (Otherwise?.Size ?? 0);

    public IEnumerable<RandomActivation> Shrinks()
    {
        foreach (var smaller in Body.Shrinks())
        {
            yield return this with { Body = smaller };
        }

        if (Otherwise is not null)
        {
            yield return this with { Otherwise = null, AsIfChain = false };
            foreach (var smaller in Otherwise.Shrinks())
            {
                yield return this with { Otherwise = smaller };
            }
        }

        foreach (var deeper in ShrinkInside(Body))
        {
            yield return this with { Body = deeper };
        }
    }

    private static IEnumerable<Node> ShrinkInside(Node node)
    {
        switch (node)
        {
            case Binary b:
                foreach (var l in b.Left.Shrinks()) yield return b with { Left = l };
                foreach (var r in b.Right.Shrinks()) yield return b with { Right = r };
                break;
            case Function f:
                foreach (var a in f.Argument.Shrinks()) yield return f with { Argument = a };
                break;
            case Ternary t:
                foreach (var a in t.WhenTrue.Shrinks()) yield return t with { WhenTrue = a };
                foreach (var a in t.WhenFalse.Shrinks()) yield return t with { WhenFalse = a };
                break;
        }
    }
}

/// <summary>Seeded generator of activations in the supported subset.</summary>
public sealed class ActivationFactory(int seed)
{
    private static readonly string[] Functions = { "Exp", "Log", "Tanh", "Sqrt", "Pow", "Abs", "Sin", "Cos", "Atan" };
    private readonly Random random = new(seed);

    public RandomActivation Next(int index)
    {
        bool ifChain = random.NextDouble() < 0.2;
        return new RandomActivation(index, Expression(3), ifChain, Math.Round(random.NextDouble() * 4 - 2, 2), ifChain ? Expression(2) : null);
    }

    private Node Expression(int depth)
    {
        if (depth == 0 || random.NextDouble() < 0.2)
        {
            return random.Next(6) switch
            {
                0 or 1 or 2 => new Z(),
                3 => new Alpha(),
                _ => new Num(Math.Round(random.NextDouble() * 6 - 3, 2)),
            };
        }

        return random.Next(12) switch
        {
            0 or 1 => new Binary("+-*/"[random.Next(4)], Expression(depth - 1), Expression(depth - 1)),
            2 => new Binary('*', Expression(depth - 1), Expression(depth - 1)),
            3 => new Negate(Expression(depth - 1)),
            4 or 5 => new Function(Functions[random.Next(Functions.Length)], Expression(depth - 1), Math.Round(random.NextDouble() * 3 - 1, 1)),
            6 => new MinMax(random.Next(2) == 0 ? "Max" : "Min", Expression(depth - 1), Expression(depth - 1)),
            7 => new ClampNode(Expression(depth - 1), -1 - Math.Round(random.NextDouble(), 2), 1 + Math.Round(random.NextDouble(), 2)),
            8 => new Ternary(Math.Round(random.NextDouble() * 4 - 2, 2), Expression(depth - 1), Expression(depth - 1)),
            9 => new CallActivation(random.Next(2) == 0 ? "BaseSigmoid" : "BaseSoftplus", Expression(depth - 1)),
            _ => new Binary('+', new Binary('*', new Num(Math.Round(random.NextDouble() * 2, 2)), Expression(depth - 1)), new Z()),
        };
    }

    /// <summary>The base activations random ones may call, in both precisions.</summary>
    public const string BaseActivations = """
        [Activation] public static double BaseSigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
        [Activation] public static double BaseSoftplus(double z) => Math.Log(1.0 + Math.Exp(z));
        [Activation] public static float BaseSigmoidF(float z) => 1f / (1f + MathF.Exp(-z));
        [Activation] public static float BaseSoftplusF(float z) => MathF.Log(1f + MathF.Exp(z));
        """;

    public static string Source(IEnumerable<RandomActivation> activations, string className)
    {
        var sb = new StringBuilder();
        sb.AppendLine("using System;\nusing Activations;\n\nnamespace Random;\n");
        sb.AppendLine($"public static partial class {className}\n{{");
        sb.AppendLine(BaseActivations);
        foreach (var activation in activations)
        {
            sb.AppendLine(activation.Render(isFloat: false));
            sb.AppendLine(activation.Render(isFloat: true));
        }

        sb.AppendLine("}");
        return sb.ToString();
    }
}
