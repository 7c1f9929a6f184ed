namespace Activations.Generator.Tests.Infrastructure;

/// <summary>A generated span member <c>Name(ReadOnlySpan&lt;T&gt;, Span&lt;T&gt;)</c>: forward or derivative kernel.</summary>
public delegate void SpanMap<T>(ReadOnlySpan<T> input, Span<T> destination);

/// <summary>A span member with one hyperparameter: <c>Name(ReadOnlySpan&lt;T&gt;, Span&lt;T&gt;, T)</c>.</summary>
public delegate void SpanMapWith<T>(ReadOnlySpan<T> input, Span<T> destination, T hyperparameter);

/// <summary>A fused backward member <c>NameBackward(ReadOnlySpan&lt;T&gt;, ReadOnlySpan&lt;T&gt;, Span&lt;T&gt;)</c>.</summary>
public delegate void SpanBackward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradInput);

/// <summary>A fused backward member with one hyperparameter.</summary>
public delegate void SpanBackwardWith<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradInput, T hyperparameter);
