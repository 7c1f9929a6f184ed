using System.CodeDom.Compiler;

namespace Activations.Generator.Emit.Kernels
{
    /// <summary>
    /// The span members of activations that train: for a second input (<c>[Input]</c>), the two-input forward and
    /// the fused backward writing both gradients; for one learnable parameter (<c>[Learnable]</c>), a backward that
    /// also returns the parameter's gradient, reduced in the same pass. Printed only where every form they need has
    /// a vector form (the scalar members are always there).
    /// </summary>
    internal static class TrainingKernelEmitter
    {
        private const string Loops = KernelEmitter.RuntimeNamespace + ".Elementwise";

        /// <summary>True when the activation has a second input, so that its one-input span members are not written.</summary>
        public static bool HasSecondInput(ActivationSignature s) => s.IndicesOf(ParameterRole.Input).Any();

        public static void Write(IndentedTextWriter writer, DerivedActivation activation, KernelPlan plan, string structPrefix)
        {
            var s = activation.Signature;
            var inputs = s.IndicesOf(ParameterRole.Input).ToList();
            var learnables = s.IndicesOf(ParameterRole.Learnable).ToList();
            if (!plan.UseVectors)
            {
                return;
            }

            if (inputs.Count == 1 && plan.Forward is { } forward && plan.Derivative is { } derivative
                && plan.Partials.FirstOrDefault(p => p.Index == inputs[0]) is { } partial)
            {
                WriteTwoInputs(writer, s, inputs[0], structPrefix, forward, derivative, partial.Form);
            }
            else if (inputs.Count == 0 && learnables.Count == 1 && s.ScalarType == "float" && plan.Derivative is not null
                && plan.Partials.FirstOrDefault(p => p.Index == learnables[0]) is { } learnable)
            {
                WriteLearnable(writer, s, learnables[0], structPrefix, learnable.Form);
            }
        }

        private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

        private static string Cref(ActivationSignature s) => $"{s.Name}({string.Join(", ", Enumerable.Repeat(s.ScalarType, 1 + s.HyperparameterNames.Count))})";

        private static string GeneratedCode => $"[global::System.CodeDom.Compiler.GeneratedCode(\"{ActivationEmitter.GeneratorName}\", \"{ActivationEmitter.GeneratorVersion}\")]";

        private static void WriteTwoInputs(IndentedTextWriter writer, ActivationSignature s, int input, string prefix, Expr forward, Expr derivative, Expr partial)
        {
            string T = s.ScalarType, z = s.VariableName, b = s.HyperparameterNames[input];
            var scalars = Enumerable.Range(0, s.HyperparameterNames.Count).Where(i => i != input).ToList();
            string declarations = string.Concat(scalars.Select(i => $", {T} {s.HyperparameterNames[i]}" + (s.HyperparameterDefaults[i].Length > 0 ? " = " + s.HyperparameterDefaults[i] : string.Empty)));
            string arguments = string.Join(", ", scalars.Select(i => s.HyperparameterNames[i]));
            string span = $"global::System.ReadOnlySpan<{T}>";
            string gradZ = "grad" + Pascal(z), gradB = "grad" + Pascal(b);

            WriteSpanMember(
                writer,
                new[] { $"/// <summary>Applies <see cref=\"{Cref(s)}\"/> to each pair of elements: <c>destination[i] = {s.Name}({z}[i], {b}[i])</c>.</summary>" },
                "The inputs differ in length, or <paramref name=\"destination\"/> is shorter or overlaps an input without being the very same memory.",
                $"{s.Accessibility} static void {s.Name}({span} {z}, {span} {b}, global::System.Span<{T}> destination{declarations})",
                $"{Loops}.Map2({z}, {b}, destination, new {prefix}Kernel({arguments}))");
            WriteSpanMember(
                writer,
                new[] { $"/// <summary>The backward pass of <see cref=\"{Cref(s)}\"/> in one pass, both gradients: <c>{gradZ}[i] = gradOutput[i] · ∂g/∂{z}</c>, <c>{gradB}[i] = gradOutput[i] · ∂g/∂{b}</c>. A gradient may be the very same memory as an input.</summary>" },
                "The inputs differ in length, or a gradient is shorter, overlaps an input without being the very same memory, or overlaps the other gradient.",
                $"{s.Accessibility} static void {s.Name}Backward({span} {z}, {span} {b}, {span} gradOutput, global::System.Span<{T}> {gradZ}, global::System.Span<{T}> {gradB}{declarations})",
                $"{Loops}.Backward2({z}, {b}, gradOutput, {gradZ}, {gradB}, new {prefix}GradientKernel({arguments}))");

            WriteBinaryStruct(writer, s, input, prefix + "Kernel", new[] { s.Name }, new[] { forward });
            WriteBinaryStruct(writer, s, input, prefix + "GradientKernel", new[] { s.Name + "Derivative", s.Name + PartialDerivative.Suffix(b) }, new[] { derivative, partial });
        }

        /// <summary>
        /// An <c>IBinaryElementwiseOperator</c> for one form, or for two (∂g/∂z and ∂g/∂b) an <c>IBinaryGradientOperator</c>
        /// whose vector bodies compute what the two share once. The first parameter and the second input are its two
        /// arguments, the others its fields.
        /// </summary>
        private static void WriteBinaryStruct(IndentedTextWriter writer, ActivationSignature s, int input, string name, IReadOnlyList<string> scalarMethods, IReadOnlyList<Expr> vectors)
        {
            string T = s.ScalarType, z = s.VariableName, b = s.HyperparameterNames[input];
            bool gradient = vectors.Count == 2;
            var fields = s.HyperparameterNames.Where((_, i) => i != input).ToList();
            string signature = string.Join(", ", Enumerable.Repeat(T, 1 + s.HyperparameterNames.Count));
            string allArguments = z + string.Concat(s.HyperparameterNames.Select(p => ", " + p));
            writer.WriteLine();
            writer.WriteLine(gradient
                ? $"/// <summary><see cref=\"{scalarMethods[0]}({signature})\"/> and <see cref=\"{scalarMethods[1]}({signature})\"/> together, for the fused backward pass.</summary>"
                : $"/// <summary><see cref=\"{scalarMethods[0]}({signature})\"/> on two inputs, for the span kernels.</summary>");
            writer.WriteLine($"private readonly struct {name} : {KernelEmitter.RuntimeNamespace}.{(gradient ? "IBinaryGradientOperator" : "IBinaryElementwiseOperator")}<{T}>");
            writer.WriteLine("{");
            writer.Indent++;
            KernelEmitter.WriteFieldsAndConstructor(writer, name, T, fields);

            if (gradient)
            {
                writer.WriteLine($"public void Apply({T} {z}, {T} {b}, out {T} by{Pascal(z)}, out {T} by{Pascal(b)})");
                writer.WriteLine("{");
                writer.WriteLine($"    by{Pascal(z)} = {scalarMethods[0]}({allArguments});");
                writer.WriteLine($"    by{Pascal(b)} = {scalarMethods[1]}({allArguments});");
                writer.WriteLine("}");
            }
            else
            {
                writer.WriteLine($"public {T} Apply({T} {z}, {T} {b}) => {scalarMethods[0]}({allArguments});");
            }

            foreach (string width in KernelEmitter.Widths)
            {
                string vectorType = $"{width}<{T}>";
                writer.WriteLine();
                writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                writer.WriteLine(gradient
                    ? $"public void Apply({vectorType} {z}, {vectorType} {b}, out {vectorType} by{Pascal(z)}, out {vectorType} by{Pascal(b)})"
                    : $"public {vectorType} Apply({vectorType} {z}, {vectorType} {b})");
                writer.WriteLine("{");
                writer.Indent++;
                var parameters = new List<string>();
                for (int i = 0; i < s.HyperparameterNames.Count; i++)
                {
                    string p = s.HyperparameterNames[i];
                    if (i == input)
                    {
                        parameters.Add(p);
                        continue;
                    }

                    writer.WriteLine($"{vectorType} {p}Vector = {width}.Create({p});");
                    parameters.Add(p + "Vector");
                }

                var (statements, results) = VectorLowering.Lower(vectors, width, s.IsDouble, z, parameters);
                foreach (string statement in statements)
                {
                    writer.WriteLine(statement);
                }

                if (gradient)
                {
                    writer.WriteLine($"by{Pascal(z)} = {results[0]};");
                    writer.WriteLine($"by{Pascal(b)} = {results[1]};");
                }
                else
                {
                    writer.WriteLine($"return {results[0]};");
                }

                writer.Indent--;
                writer.WriteLine("}");
            }

            writer.Indent--;
            writer.WriteLine("}");
        }

        /// <summary>One span member after a blank line: its doc, the exception it throws on bad spans, the attribute and a one-line body.</summary>
        private static void WriteSpanMember(IndentedTextWriter writer, IEnumerable<string> docLines, string argumentException, string declaration, string body)
        {
            writer.WriteLine();
            foreach (string line in docLines)
            {
                writer.WriteLine(line);
            }

            writer.WriteLine($"/// <exception cref=\"global::System.ArgumentException\">{argumentException}</exception>");
            writer.WriteLine(GeneratedCode);
            writer.WriteLine(declaration);
            writer.WriteLine("    => " + body + ";");
        }

        /// <summary>The backward pass with the learnable parameter's gradient: the derivative's operator, and one for ∂g/∂p.</summary>
        private static void WriteLearnable(IndentedTextWriter writer, ActivationSignature s, int learnable, string prefix, Expr partial)
        {
            string T = s.ScalarType, z = s.VariableName, p = s.HyperparameterNames[learnable];
            string span = $"global::System.ReadOnlySpan<{T}>";
            string structName = prefix + PartialDerivative.Suffix(p) + "Kernel";
            string declarations = string.Concat(s.HyperparameterNames.Select(n => $", {T} {n}"));
            WriteSpanMember(
                writer,
                new[]
                {
                    "/// <summary>",
                    $"/// The backward pass of <see cref=\"{Cref(s)}\"/> with the gradient of its learnable parameter, in one pass:",
                    $"/// <c>gradInput[i] = gradOutput[i] · {s.Name}Derivative({z}[i]{s.HyperparameterArguments})</c>, and",
                    $"/// <c>Σᵢ gradOutput[i] · ∂g/∂{p}({z}[i])</c> returned, summed in double. For a parameter per channel, call it",
                    "/// on each channel's slice.",
                    "/// </summary>",
                    $"/// <returns>∂L/∂{p}.</returns>",
                },
                $"<paramref name=\"gradOutput\"/> and <paramref name=\"{z}\"/> differ in length, or <paramref name=\"gradInput\"/> is shorter or overlaps an input without being the very same memory.",
                $"{s.Accessibility} static {T} {s.Name}BackwardWithParameterGradient({span} {z}, {span} gradOutput, global::System.Span<{T}> gradInput{declarations})",
                $"{Loops}.MapTimesAndSum({z}, gradOutput, gradInput, new {prefix}DerivativeKernel({string.Join(", ", s.HyperparameterNames)}), new {structName}({string.Join(", ", s.HyperparameterNames)}))");
            KernelEmitter.WriteUnaryOperator(writer, s, structName, s.Name + PartialDerivative.Suffix(p), partial);
        }
    }
}
