using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Activations.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
