namespace SweepCluster.Benchmarks.Tests;

/// <summary>
/// A folder that, first on <c>PYTHONPATH</c>, makes the named modules fail to import as if they were not installed
/// (whether or not this machine has them), and an interpreter script that runs Debian's Python with it.
/// </summary>
internal sealed class HiddenPythonModules : IDisposable
{
    private readonly TempDirectory _directory = new("sweepcluster-hidden-python-");

    public HiddenPythonModules(params string[] modules)
    {
        foreach (var module in modules)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(_directory.Path, module));
            _directory.Write(System.IO.Path.Combine(module, "__init__.py"), $"raise ModuleNotFoundError(\"No module named '{module}'\", name=\"{module}\")\n");
        }

        Interpreter = _directory.Write("python3", $"#!/bin/sh\nPYTHONPATH='{_directory.Path}' exec {PythonReference.Interpreter} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Interpreter, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The value of <c>PYTHONPATH</c> that hides the modules.</summary>
    public string PythonPath => _directory.Path;

    /// <summary>An executable that runs Debian's Python with the modules hidden.</summary>
    public string Interpreter { get; }

    public void Dispose() => _directory.Dispose();
}
