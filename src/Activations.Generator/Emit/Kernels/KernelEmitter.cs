using System.CodeDom.Compiler;

namespace Activations.Generator.Emit.Kernels
{
    /// <summary>
    /// Writes the span batch API of one activation: forward, derivative, fused backward and, where an
    /// output form exists, backward from saved outputs. Each kernel is one call into the runtime's
    /// <c>Activations.Kernels.Elementwise</c> loops with a small struct that holds the function's scalar and
    /// vector forms. Without Vector128/256/512 and the runtime (a netstandard2.0 or pre-.NET 8 target), or
    /// for a function with no vector form, the kernel is a plain loop over the scalar method.
    /// </summary>
    internal static class KernelEmitter
    {
        internal static readonly string[] Widths = { "Vector128", "Vector256", "Vector512" };

        /// <summary>
        /// The runtime's namespace, always spelled out: its type names (Elementwise, VectorMath) are ones a user's
        /// own namespace or class may hold, and those would win over an import (a test keeps such a project compiling).
        /// </summary>
        public const string RuntimeNamespace = "global::Activations.Kernels";

        private const string Loops = RuntimeNamespace + ".Elementwise";

        /// <summary>
        /// The namespaces a file with vector kernels imports (see <see cref="WritesVectors"/>): the vector types and
        /// <c>MethodImpl</c>, names no user code is likely to declare. Imported rather than spelled out with
        /// <c>global::</c> on every use: spelled out, they were about a third of the characters of a kernel.
        /// </summary>
        public static readonly string[] Imports = { "System.Runtime.CompilerServices", "System.Runtime.Intrinsics" };

        /// <summary>True when the kernels have a vector form, so that the file needs <see cref="Imports"/>.</summary>
        public static bool WritesVectors(KernelPlan? plan) =>
            plan is { UseVectors: true } && (plan.Forward ?? plan.Derivative ?? plan.OutputForm ?? plan.SecondDerivative ?? plan.SecondDerivativeFromOutput) is not null;

        public static void Write(IndentedTextWriter writer, DerivedActivation activation, KernelPlan plan)
        {
            var s = activation.Signature;
            string z = s.VariableName;
            string y = ActivationEmitter.OutputName(s);
            string cref = $"{s.Name}({string.Join(", ", Enumerable.Repeat(s.ScalarType, 1 + s.HyperparameterNames.Count))})";
            string h = s.HyperparameterArguments;

            string structs = StructNamePrefix(s);
            if (TrainingKernelEmitter.HasSecondInput(s))
            {
                // One-input members would take the second input as a number: the two-input ones replace them.
                if (plan.UseVectors)
                {
                    TrainingKernelEmitter.Write(writer, activation, plan, structs);
                }

                return;
            }

            var forward = new Operation(structs + "Kernel", s.Name, plan.Forward, z);
            var derivative = new Operation(structs + "DerivativeKernel", s.Name + "Derivative", plan.Derivative, z);
            var fromOutput = new Operation(structs + "DerivativeFromOutputKernel", s.Name + "DerivativeFromOutput", plan.OutputForm, y);

            WriteKernel(writer, s, plan, forward, z, null, "destination",
                $"/// <summary>Applies <see cref=\"{cref}\"/> to each element: <c>destination[i] = {s.Name}({z}[i]{h})</c>.</summary>");
            WriteKernel(writer, s, plan, derivative, z, null, "destination",
                $"/// <summary>The derivative of <see cref=\"{cref}\"/> at each element: <c>destination[i] = {s.Name}Derivative({z}[i]{h})</c>.</summary>");
            var backward = derivative with { MethodName = s.Name + "Backward" };
            WriteKernel(writer, s, plan, backward, z, "gradOutput", "gradInput",
                $"/// <summary>The backward pass of <see cref=\"{cref}\"/> in one pass: <c>gradInput[i] = gradOutput[i] · {s.Name}Derivative({z}[i]{h})</c>.</summary>");
            if (activation.Derivative!.OutputForm is not null)
            {
                var backwardFromOutput = fromOutput with { MethodName = s.Name + "BackwardFromOutput" };
                WriteKernel(writer, s, plan, backwardFromOutput, y, "gradOutput", "gradInput",
                    $"/// <summary>The backward pass of <see cref=\"{cref}\"/> from saved outputs: <c>gradInput[i] = gradOutput[i] · {s.Name}DerivativeFromOutput({y}[i]{h})</c>.</summary>");
            }

            var second = new Operation(structs + "SecondDerivativeKernel", s.Name + "SecondDerivative", plan.SecondDerivative, z);
            var secondFromOutput = new Operation(structs + "SecondDerivativeFromOutputKernel", s.Name + "SecondDerivativeFromOutput", plan.SecondDerivativeFromOutput, y);
            if (activation.SecondDerivative is { } secondForms)
            {
                WriteKernel(writer, s, plan, second, z, null, "destination",
                    $"/// <summary>The second derivative of <see cref=\"{cref}\"/> at each element: <c>destination[i] = {s.Name}SecondDerivative({z}[i]{h})</c>.</summary>");
                if (secondForms.OutputForm is not null)
                {
                    WriteKernel(writer, s, plan, secondFromOutput, y, null, "destination",
                        $"/// <summary>The second derivative of <see cref=\"{cref}\"/> from saved outputs: <c>destination[i] = {s.Name}SecondDerivativeFromOutput({y}[i]{h})</c>.</summary>");
                }
            }

            if (!plan.UseVectors)
            {
                return;
            }

            TrainingKernelEmitter.Write(writer, activation, plan, structs);

            foreach (var operation in new[] { forward, derivative, fromOutput, second, secondFromOutput }.Where(o => o.Vector is not null))
            {
                WriteOperationStruct(writer, s, operation);
            }
        }

        /// <summary>
        /// Name, element type and hyperparameter names: unique among the overloads one type can hold (two with
        /// the same of all three would have the same signature, CS0111), so float, double and hyperparameter
        /// overloads of one activation get structs that do not collide: <c>MishFloat</c>, <c>MishDouble</c>,
        /// <c>EluFloatAlpha</c>.
        /// </summary>
        private static string StructNamePrefix(ActivationSignature s) =>
            s.Name + (s.IsDouble ? "Double" : "Float") + string.Concat(s.HyperparameterNames.Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

        /// <summary>One function with its scalar method and, where it has one, its vector form.</summary>
        private sealed record Operation(string StructName, string ScalarMethod, Expr? Vector, string Variable)
        {
            public string MethodName { get; init; } = ScalarMethod;
        }

        private static void WriteKernel(IndentedTextWriter writer, ActivationSignature s, KernelPlan plan, Operation operation, string input, string? multiplier, string output, string summary)
        {
            string T = s.ScalarType;
            string extraParameters = s.HyperparameterDeclarations;
            string extraArguments = s.HyperparameterArguments;
            string inputs = $"global::System.ReadOnlySpan<{T}> {input}" + (multiplier is null ? string.Empty : $", global::System.ReadOnlySpan<{T}> {multiplier}");

            writer.WriteLine();
            writer.WriteLine(summary);
            writer.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">{(multiplier is null ? string.Empty : $"<paramref name=\"{multiplier}\"/> and <paramref name=\"{input}\"/> differ in length, or ")}<paramref name=\"{output}\"/> is shorter than <paramref name=\"{input}\"/> or overlaps an input without being the very same memory.</exception>");
            writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"{ActivationEmitter.GeneratorName}\", \"{ActivationEmitter.GeneratorVersion}\")]");
            writer.Write($"{s.Accessibility} static void {operation.MethodName}({inputs}, global::System.Span<{T}> {output}{extraParameters})");
            if (plan.UseVectors && operation.Vector is not null)
            {
                string op = $"new {operation.StructName}({string.Join(", ", s.HyperparameterNames)})";
                writer.WriteLine();
                writer.Indent++;
                // The loops name a wrong argument by the caller's expression ([CallerArgumentExpression]).
                writer.WriteLine(multiplier is null
                    ? $"=> {Loops}.Map({input}, {output}, {op});"
                    : $"=> {Loops}.MapTimes({input}, {multiplier}, {output}, {op});");
                writer.Indent--;
                return;
            }

            // No vector form here: the same checks, then the scalar method element by element.
            writer.WriteLine();
            writer.WriteLine("{");
            writer.Indent++;
            if (multiplier is not null)
            {
                WriteThrowIf(writer, $"{multiplier}.Length != {input}.Length", $"'{multiplier}' must have the length of the input.", multiplier);
            }

            WriteThrowIf(writer, $"{output}.Length < {input}.Length", "Destination is too short.", output);
            foreach (string source in multiplier is null ? new[] { input } : new[] { input, multiplier })
            {
                WriteThrowIf(writer, $"global::System.MemoryExtensions.Overlaps({source}, (global::System.ReadOnlySpan<{T}>){output}, out int {source}Offset) && {source}Offset != 0", "The destination overlaps an input without being the very same memory.", output);
            }

            writer.WriteLine($"for (int i = 0; i < {input}.Length; i++)");
            writer.WriteLine("{");
            string value = $"{operation.ScalarMethod}({input}[i]{extraArguments})";
            writer.WriteLine($"    {output}[i] = {(multiplier is null ? value : $"{multiplier}[i] * {value}")};");
            writer.WriteLine("}");
            writer.Indent--;
            writer.WriteLine("}");
        }

        /// <summary>One argument check of a lane-by-lane span member: <c>if (condition) { throw new ArgumentException(…); }</c>.</summary>
        private static void WriteThrowIf(IndentedTextWriter writer, string condition, string message, string parameter)
        {
            writer.WriteLine($"if ({condition})");
            writer.WriteLine("{");
            writer.WriteLine($"    throw new global::System.ArgumentException(\"{message}\", nameof({parameter}));");
            writer.WriteLine("}");
            writer.WriteLine();
        }

        /// <summary>No exp, log, hyperbolic function or power: a handful of instructions per vector.</summary>
        private static bool IsFewInstructions(Expr vector) =>
            !ExprRewriter.Subexpressions(vector).Any(node => node is Call or Power);

        /// <summary>An <c>IElementwiseOperator</c> struct for one more scalar method of the activation (∂g/∂p, say).</summary>
        internal static void WriteUnaryOperator(IndentedTextWriter writer, ActivationSignature s, string structName, string scalarMethod, Expr vector) =>
            WriteOperationStruct(writer, s, new Operation(structName, scalarMethod, vector, s.VariableName));

        /// <summary>An operator struct's fields, one per scalar parameter it carries, and the constructor that sets them.</summary>
        internal static void WriteFieldsAndConstructor(IndentedTextWriter writer, string structName, string type, IReadOnlyList<string> fields)
        {
            foreach (string field in fields)
            {
                writer.WriteLine($"private readonly {type} {field};");
            }

            if (fields.Count == 0)
            {
                return;
            }

            writer.WriteLine();
            writer.WriteLine($"public {structName}({string.Join(", ", fields.Select(f => $"{type} {f}"))})");
            writer.WriteLine("{");
            foreach (string field in fields)
            {
                writer.WriteLine($"    this.{field} = {field};");
            }

            writer.WriteLine("}");
            writer.WriteLine();
        }

        private static void WriteOperationStruct(IndentedTextWriter writer, ActivationSignature s, Operation operation)
        {
            string T = s.ScalarType;
            var hyper = s.HyperparameterNames;
            writer.WriteLine();
            writer.WriteLine($"/// <summary><see cref=\"{operation.ScalarMethod}({string.Join(", ", Enumerable.Repeat(T, 1 + hyper.Count))})\"/> lane by lane, for the span kernels.</summary>");
            writer.WriteLine($"private readonly struct {operation.StructName} : {RuntimeNamespace}.IElementwiseOperator<{T}>");
            writer.WriteLine("{");
            writer.Indent++;
            WriteFieldsAndConstructor(writer, operation.StructName, T, hyper);
            string v = operation.Variable;
            writer.WriteLine($"public bool HasParameters => {(hyper.Count > 0 ? "true" : "false")};");
            writer.WriteLine();
            writer.WriteLine($"public bool IsCheap => {(IsFewInstructions(operation.Vector!) ? "true" : "false")};");
            writer.WriteLine();
            writer.WriteLine($"public {T} Apply({T} {v}) => {operation.ScalarMethod}({v}{string.Concat(hyper.Select(p => ", " + p))});");
            foreach (string width in Widths)
            {
                string V = width; // the file imports System.Runtime.Intrinsics (see Imports)
                string vectorType = $"{V}<{T}>";
                writer.WriteLine();
                writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                writer.WriteLine($"public {vectorType} Apply({vectorType} {v})");
                writer.WriteLine("{");
                writer.Indent++;
                var vectorParameters = new List<string>();
                foreach (string p in hyper)
                {
                    writer.WriteLine($"{vectorType} {p}Vector = {V}.Create({p});");
                    vectorParameters.Add(p + "Vector");
                }

                var (statements, result) = VectorLowering.Lower(operation.Vector!, V, s.IsDouble, v, vectorParameters);
                foreach (string statement in statements)
                {
                    writer.WriteLine(statement);
                }

                writer.WriteLine($"return {result};");
                writer.Indent--;
                writer.WriteLine("}");
            }

            writer.Indent--;
            writer.WriteLine("}");
        }
    }
}
