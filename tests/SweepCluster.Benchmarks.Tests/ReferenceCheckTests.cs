namespace SweepCluster.Benchmarks.Tests;

[Trait("Category", "Integration")]
public sealed class ReferenceCheckTests
{
    private static readonly PythonModule Psycopg2 = new("psycopg2", "python3-psycopg2", "Optuna's PostgreSQL storage");

    // In every Python: a module the check must not report.
    private static readonly PythonModule Json = new("json", "python3", "the standard library");

    [Fact]
    public void A_module_that_does_not_import_is_named_with_its_Debian_package()
    {
        using var hidden = new HiddenPythonModules("psycopg2");

        var missing = ReferenceCheck.PythonModules(hidden.Interpreter, [Json, Psycopg2]);

        var reference = Assert.Single(missing);
        Assert.Equal(["python3-psycopg2"], reference.DebianPackages);
        Assert.Contains("Python module psycopg2", reference.What, StringComparison.Ordinal);
        Assert.Contains("No module named 'psycopg2'", reference.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Modules_that_import_are_not_reported()
    {
        Assert.Empty(ReferenceCheck.PythonModules(PythonReference.Interpreter, [Json]));
    }

    [Fact]
    public void An_interpreter_that_does_not_exist_is_named_instead_of_its_modules()
    {
        var missing = ReferenceCheck.PythonModules("/nonexistent/python3", [Json, Psycopg2]);

        var reference = Assert.Single(missing);
        Assert.Equal("the Python interpreter /nonexistent/python3", reference.What);
        Assert.Equal(["python3", "python3-psycopg2"], reference.DebianPackages);
    }

    [Fact]
    public void Everything_missing_is_said_in_one_line_with_one_install_command()
    {
        var line = ReferenceCheck.Describe(
            [new MissingReference("PostgreSQL server binaries", ["postgresql"]), new MissingReference("Python module psycopg2", ["python3-psycopg2"])],
            "run with --stores sqlite");

        Assert.Equal(
            "missing for the benchmark's references: PostgreSQL server binaries, Python module psycopg2. "
            + "Install: apt-get install -y postgresql python3-psycopg2 (as root; ./build.sh bench does it); or run with --stores sqlite",
            line);
        Assert.Null(ReferenceCheck.Describe([], "anything"));
    }
}
