using System.Net;
using Microsoft.Playwright;
using SweepCluster.Testing.Web;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// The web page of a standalone coordinator (cluster mode) in a real browser: the login form, the token never in a log,
/// sweep texts shown as text however they look, the cluster view's links, and no request outside the product.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebPageTests(WebCoordinator coordinator) : IClassFixture<WebCoordinator>
{
    private const string ScriptName = "<script>alert(1)</script>";
    private const string ImageQuestion = "Does <img src=x onerror=alert(2)> leak?";

    [Fact]
    public async Task Without_the_token_the_page_shows_the_login_form_and_its_data_answers_401()
    {
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(coordinator.Address);

        await page.GotoAsync(new Uri(coordinator.Address, "/#/cluster").ToString());

        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("form.login input[name=token]")).ToBeVisibleAsync();
        using var anonymous = coordinator.Client(null);
        foreach (var path in new[] { "/api/web/sweeps", "/api/web/sweeps/any/view", "/api/web/cluster", "/api/sweeps" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        // A wrong token in the form: the form again, saying so.
        await page.FillAsync("input[name=token]", "not-the-user-token-of-this-one");
        await page.ClickAsync("form.login button");
        await Assertions.Expect(page.Locator("form.login .error")).ToBeVisibleAsync();
        browser.AssertOnlyOrigin(coordinator.Address);
    }

    [Fact]
    public async Task A_sweep_named_as_a_script_renders_as_text_after_signing_in()
    {
        var sweepId = "xss-" + Guid.NewGuid().ToString("N")[..8];
        using (var user = coordinator.Client(WebCoordinator.UserToken))
        {
            var body = CoordinatorApiFixture.SweepBody(sweepId, "nowhere", trials: 2);
            var json = System.Text.Json.JsonSerializer.Serialize(body, Contracts.CoordinatorJson.Options)
                .Replace("\"sweep " + sweepId + "\"", System.Text.Json.JsonSerializer.Serialize(ScriptName), StringComparison.Ordinal)
                .Replace("\"does it run?\"", System.Text.Json.JsonSerializer.Serialize(ImageQuestion), StringComparison.Ordinal)
                .Replace("\"config-1\"", System.Text.Json.JsonSerializer.Serialize("<b>bold</b> config"), StringComparison.Ordinal);
            var submitted = await user.PostRawAsync("/api/sweeps", json);
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(coordinator.Address);
        await page.GotoAsync(new Uri(coordinator.Address, "/login").ToString());
        await page.FillAsync("input[name=token]", WebCoordinator.UserToken);
        await page.ClickAsync("form.login button");

        var link = page.Locator($"#sweeps tr[data-sweep='{sweepId}'] a");
        await Assertions.Expect(link).ToHaveTextAsync(ScriptName);
        await link.ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(ScriptName);
        await Assertions.Expect(page.Locator("p.question")).ToHaveTextAsync("Question: " + ImageQuestion);
        await Assertions.Expect(page.Locator("#matrix-table")).ToContainTextAsync("<b>bold</b> config");
        Assert.Equal(0, await page.Locator("main script, main img[src='x'], main b").CountAsync());
        Assert.Empty(browser.Dialogs);

        // The cookie is HttpOnly: the page's scripts cannot read the token.
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("() => document.cookie"));
        browser.AssertOnlyOrigin(coordinator.Address);
    }

    [Fact]
    public async Task A_token_link_signs_in_without_the_token_in_the_address_or_in_any_log()
    {
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(coordinator.Address);

        await page.GotoAsync(new Uri(coordinator.Address, $"/?token={WebCoordinator.UserToken}#/cluster").ToString());

        await Assertions.Expect(page.Locator("#cluster-links a", new PageLocatorOptions { HasText = "Orleans dashboard" })).ToHaveAttributeAsync("href", "/dashboard");
        await Assertions.Expect(page.Locator("#cluster-links a", new PageLocatorOptions { HasText = "Grafana" })).ToHaveAttributeAsync("href", WebCoordinator.GrafanaUrl);
        await Assertions.Expect(page.Locator("#silos")).ToContainTextAsync("No trainer silo");
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        Assert.EndsWith("#/cluster", page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "sweepcluster_token");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // The dashboard opens with the cookie alone (it only reads).
        var dashboard = await page.GotoAsync(new Uri(coordinator.Address, "/dashboard/").ToString());
        Assert.Equal(200, dashboard?.Status);

        var logs = coordinator.Logs;
        Assert.Contains(logs, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(WebCoordinator.UserToken, StringComparison.Ordinal));
        browser.AssertOnlyOrigin(coordinator.Address);
    }

    [Fact]
    public async Task The_chart_library_and_its_licence_are_served_by_the_product()
    {
        using var anonymous = coordinator.Client(null);
        var library = await anonymous.GetAsync("/assets/vendor/uPlot.iife.min.js");
        Assert.True(library.StatusCode == HttpStatusCode.OK, "the chart library is not embedded: build with ./build.sh, which installs it");
        Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);
        var licenses = await anonymous.GetStringAsync("/licenses");
        Assert.Contains("uPlot", licenses, StringComparison.Ordinal);
        Assert.Contains("The MIT License", licenses, StringComparison.Ordinal);
    }
}
