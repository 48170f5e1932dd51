using System.Net;
using System.Text.Json;

namespace SweepCluster.Coordinator.Tests;

/// <summary>Malformed, incomplete or out-of-range bodies get a 400 ProblemDetails that names the field, and change nothing.</summary>
[Trait("Category", "Integration")]
public sealed class MalformedBodyTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    private const string GoodSweep = """{"id":"SWEEP","name":"n","question":"q","objectiveMetric":"psnr_cross","objectiveGoal":"maximize","sweepText":"t"}""";
    private const string GoodTrial = """{"id":"SWEEP-t0","configName":"c","configKey":"k","seed":1,"parameters":{},"config":{"a":1},"maxAttempts":2}""";

    public static TheoryData<string, string> BadSubmissions => new()
    {
        { "{", "$" },
        { """{"sweep":{"id":5}}""", "sweep.id" },
        { """{"trials":[]}""", "sweep" },
        { $$"""{"sweep":{{GoodSweep}}}""", "trials" },
        { $$"""{"sweep":{{GoodSweep.Replace("\"question\":\"q\",", string.Empty, StringComparison.Ordinal)}},"trials":[]}""", "sweep.question" },
        { $$"""{"sweep":{{GoodSweep.Replace("maximize", "sideways", StringComparison.Ordinal)}},"trials":[]}""", "sweep.objectiveGoal" },
        { $$"""{"sweep":{{GoodSweep}},"trials":[{{GoodTrial.Replace("\"maxAttempts\":2", "\"maxAttempts\":0", StringComparison.Ordinal)}}]}""", "trials[0].maxAttempts" },
        { $$"""{"sweep":{{GoodSweep}},"trials":[{{GoodTrial}},{{GoodTrial.Replace("{\"a\":1}", "3", StringComparison.Ordinal)}}]}""", "trials[1].config" },
        { $$"""{"sweep":{{GoodSweep}},"trials":[{{GoodTrial.Replace("\"seed\":1,", string.Empty, StringComparison.Ordinal)}}]}""", "trials[0].seed" },
        { $$"""{"sweep":{{GoodSweep}},"trials":[{{GoodTrial.Replace("\"maxAttempts\":2", "\"maxAttempts\":2,\"resources\":{\"gpus\":-1}", StringComparison.Ordinal)}}]}""", "trials[0].resources.gpus" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_submission_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var sweepId = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var user = fixture.User();
        var response = await user.PostRawAsync("/api/sweeps", body.Replace("SWEEP", sweepId, StringComparison.Ordinal));

        await AssertNamesFieldAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/sweeps/{sweepId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/trials/{sweepId}-t0")).StatusCode);
    }

    [Fact]
    public async Task Json_body_larger_than_the_limit_is_413_and_stores_nothing()
    {
        var sweepId = "huge-" + Guid.NewGuid().ToString("N")[..8];
        // A valid submission but for its size: its sweep text is 5 MiB.
        var sweep = GoodSweep.Replace("SWEEP", sweepId, StringComparison.Ordinal).Replace("\"sweepText\":\"t\"", $"\"sweepText\":\"{new string('x', 5 * 1024 * 1024)}\"", StringComparison.Ordinal);
        var huge = $$"""{"sweep":{{sweep}},"trials":[]}""";

        var response = await fixture.User().PostRawAsync("/api/sweeps", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.User().GetAsync($"/api/sweeps/{sweepId}")).StatusCode);
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {text}");
        Assert.Contains(field, problem.RootElement.GetProperty("detail").GetString() ?? string.Empty, StringComparison.Ordinal);
    }
}
