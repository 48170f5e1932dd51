using System.Net;
using System.Text.Json;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// The web page's data: a sweep's view polled with a cursor answers every trial and the matrix first, then only the
/// trials that changed, with the matrix only when one reached a terminal state; the cookie the login form sets reads
/// but never changes anything.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebApiTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    [Fact]
    public async Task The_first_view_has_every_trial_and_the_matrix_and_later_ones_only_what_changed()
    {
        var user = fixture.User();
        var sweepId = "web-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, "nowhere", trials: 3))).StatusCode);

        var first = await ViewAsync(user, sweepId, 0);
        Assert.True(first.GetProperty("full").GetBoolean());
        Assert.Equal(3, first.GetProperty("trials").GetArrayLength());
        Assert.Equal(sweepId, first.GetProperty("sweep").GetProperty("id").GetString());
        Assert.Equal(3, first.GetProperty("matrix").GetProperty("rows").GetArrayLength());
        Assert.Equal(3, first.GetProperty("status").GetProperty("total").GetInt32());
        var cursor = first.GetProperty("cursor").GetInt64();
        Assert.True(cursor > 0);

        // Nothing finishes here (no silo takes the trials): polls answer no matrix, and soon no trial at all (the
        // scheduler's waiting reasons are the last changes).
        JsonElement quiet = default;
        await Eventually.HoldsAsync(async () =>
        {
            quiet = await ViewAsync(user, sweepId, cursor);
            Assert.Equal(JsonValueKind.Null, quiet.GetProperty("matrix").ValueKind);
            Assert.Equal(JsonValueKind.Null, quiet.GetProperty("sweep").ValueKind);
            cursor = quiet.GetProperty("cursor").GetInt64();
            return quiet.GetProperty("trials").GetArrayLength() == 0;
        }, "a poll finds nothing new");
        Assert.False(quiet.GetProperty("full").GetBoolean());

        // Cancelled: a terminal state, so the touched trials come with a new matrix.
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"/api/sweeps/{sweepId}/cancel", null)).StatusCode);
        var changed = await ViewAsync(user, sweepId, cursor);
        Assert.Equal(3, changed.GetProperty("trials").GetArrayLength());
        Assert.All(changed.GetProperty("trials").EnumerateArray(), t => Assert.Equal("cancelled", t.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Object, changed.GetProperty("matrix").ValueKind);
        Assert.Equal(3, changed.GetProperty("status").GetProperty("counts").GetProperty("cancelled").GetInt32());
        Assert.Equal(1.0, changed.GetProperty("status").GetProperty("progress").GetDouble());

        var after = await ViewAsync(user, sweepId, changed.GetProperty("cursor").GetInt64());
        Assert.Equal(0, after.GetProperty("trials").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("matrix").ValueKind);
    }

    [Fact]
    public async Task The_view_of_an_unknown_sweep_or_a_bad_cursor_is_refused()
    {
        var user = fixture.User();
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/api/web/sweeps/no-such-sweep/view")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync("/api/web/sweeps/no-such-sweep/view?after=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync("/api/web/sweeps/no-such-sweep/view?after=x")).StatusCode);
    }

    [Fact]
    public async Task A_configuration_answers_its_curves_and_the_sweeps_list_each_sweeps_status()
    {
        var user = fixture.User();
        var sweepId = "web-" + Guid.NewGuid().ToString("N")[..10];
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, "nowhere", trials: 2));

        var config = await CoordinatorApiFixture.ReadJsonAsync(await user.GetAsync($"/api/web/sweeps/{sweepId}/config?key=key-1"));
        Assert.Equal("config-1", config.GetProperty("configName").GetString());
        Assert.Equal(0, config.GetProperty("loss").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/web/sweeps/{sweepId}/config?key=no-such-key")).StatusCode);

        var list = await CoordinatorApiFixture.ReadJsonAsync(await user.GetAsync("/api/web/sweeps"));
        var item = list.EnumerateArray().Single(s => s.GetProperty("sweep").GetProperty("id").GetString() == sweepId);
        Assert.Equal(2, item.GetProperty("status").GetProperty("total").GetInt32());
        Assert.Equal(2, item.GetProperty("status").GetProperty("counts").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task The_cookie_authenticates_reads_but_never_a_change()
    {
        var sweepId = "web-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.User().PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, "nowhere"));
        var browser = fixture.Client(null);
        browser.DefaultRequestHeaders.Add("Cookie", $"sweepcluster_token={CoordinatorApiFixture.UserToken}");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/web/sweeps/{sweepId}/view")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync($"/api/sweeps/{sweepId}/cancel", null)).StatusCode);
        var sweep = await CoordinatorApiFixture.ReadJsonAsync(await fixture.User().GetAsync($"/api/sweeps/{sweepId}"));
        Assert.Equal(JsonValueKind.Null, sweep.GetProperty("sweep").GetProperty("cancelledAt").ValueKind);

        var wrong = fixture.Client(null);
        wrong.DefaultRequestHeaders.Add("Cookie", "sweepcluster_token=not-a-token-of-this-coordinator");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync($"/api/web/sweeps/{sweepId}/view")).StatusCode);
    }

    private static async Task<JsonElement> ViewAsync(HttpClient client, string sweepId, long after)
    {
        var response = await client.GetAsync($"/api/web/sweeps/{sweepId}/view" + (after > 0 ? $"?after={after}" : string.Empty));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await CoordinatorApiFixture.ReadJsonAsync(response);
    }
}
