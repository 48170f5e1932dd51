using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SweepCluster.Testing.Web;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// The web page of an embedded run (<c>sweepcluster run</c>) in a real browser, while a tiny sweep trains: the link the
/// run prints signs the browser in, a trial's row goes from running to succeeded and the matrix fills in without a
/// reload, a trial's page draws its curve, its configuration copies as a config that <c>sweepcluster train</c> trains,
/// and the page asks for nothing outside the product. Screenshots go to artifacts/web-screenshots.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class WebPageTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>Three rows, one seed each, on one slot: the first two train a few seconds; the third keeps the run going.</summary>
    private static readonly string Sweep = TinySweeps.Head("web", "Does the page fill in while the sweep runs?", "{epochs: 6}",
        description: "Three rows on one slot, for the web page's browser test.") + """
        matrix:
          - name: first
            overrides: {trainer.cross_skips: target}
            expect: {text: "fail (noise leak)", verdict: fail}
          - name: second
            overrides: {trainer.cross_skips: none}
            expect: {text: "pass", verdict: pass}
          - name: third
            overrides: {trainer.cross_skips: zeros, trainer.epochs: 400}

        """;

    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task While_a_sweep_runs_its_page_fills_in_live_and_a_trial_shows_its_curve()
    {
        var sweepFile = _temp.Write("web.yaml", Sweep);
        var state = Path.Combine(_temp.Path, "state");
        using var run = CliProcess.Start(_temp.Path, "run", sweepFile, "--state", state, "--cpu-slots", "1", "--threads", "1");
        await using var browser = await WebBrowser.LaunchAsync();
        var sweepId = SweepLine().Match(await run.WaitForLineAsync(l => SweepLine().IsMatch(l), Long, "naming the sweep")).Groups[1].Value;
        var link = new Uri((await run.WaitForLineAsync(l => l.StartsWith("web page: ", StringComparison.Ordinal), Long, "with the web page's link"))["web page: ".Length..]);
        Assert.Equal("127.0.0.1", link.Host);
        var token = Regex.Match(link.Query, "token=([^&]+)").Groups[1].Value;
        Assert.True(token.Length >= 32, link.ToString());
        var origin = new Uri(link.GetLeftPart(UriPartial.Authority));
        var page = await browser.NewPageAsync(origin);

        await page.GotoAsync($"{link}#/sweep/{Uri.EscapeDataString(sweepId)}");
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // A trial seen running, then succeeded, in the same page.
        var running = page.Locator("#trials tbody tr[data-state='running']").Filter(new LocatorFilterOptions { HasNotText = "third" }).First;
        await running.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)Long.TotalMilliseconds });
        var trialId = await running.GetAttributeAsync("data-trial");
        var configName = await running.Locator("td").Nth(1).InnerTextAsync();
        await Assertions.Expect(page.Locator($"#trial-{trialId}")).ToHaveAttributeAsync("data-state", "succeeded", new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)Long.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");

        // The matrix filled in: the row of that configuration counts its seed (column n), with a verdict.
        var row = page.Locator("#matrix-table tbody tr").Filter(new LocatorFilterOptions { HasText = configName }).First;
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(new Regex("^(pass|partial|fail)$"));
        // Its configuration's curves and panel, as report.html draws them.
        await page.WaitForFunctionAsync(
            "name => [...document.querySelectorAll('details.config')].some(d => d.querySelector('summary').textContent === name"
            + " && Number(d.querySelector('.psnr-plot')?.dataset.points || 0) > 0 && Number(d.querySelector('.loss-plot')?.dataset.points || 0) > 0"
            + " && d.querySelector('.panels img[src^=\"blob:\"]') !== null)", configName, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await page.Locator("#eta").WaitForAsync();
        await WebBrowser.ScreenshotAsync(page, "sweep-page");

        // The trial's page: resolved config, attempts, live metrics with a curve that has data.
        await page.Locator($"#trial-{trialId} a").ClickAsync();
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#trial-loss')?.dataset.points || 0) > 0");
        Assert.Equal(1, await page.Locator("#trial-loss canvas").CountAsync());
        await Assertions.Expect(page.Locator("#attempts-table tbody tr")).ToHaveCountAsync(1);
        // The silo, by its cluster address, and its slot.
        await Assertions.Expect(page.Locator("#attempts-table tbody tr td").Nth(2)).ToHaveTextAsync(new Regex(@"^127\.0\.0\.1:\d+@\d+$"));
        await Assertions.Expect(page.Locator("#attempts-table tbody tr td").Nth(3)).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#checkpoint a")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#log-tail")).ToContainTextAsync("attempt 1 succeeded");
        await WebBrowser.ScreenshotAsync(page, "trial-page");

        // "Copy as a sweepcluster train config": what it copies trains.
        await page.ClickAsync("#copy-config");
        await Assertions.Expect(page.Locator("#copy-status")).ToHaveTextAsync("copied");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        var config = _temp.Write("trial.json", copied);
        var trained = await CliProcess.RunAsync(_temp.Path, Long, "train", "--config", config, "--steps", "1", "--out", Path.Combine(_temp.Path, "by-hand"));
        Assert.True(trained.ExitCode == 0, trained.Transcript);

        // The cluster: the run's silo, its slot and what runs on it (the third row).
        await page.GotoAsync($"{origin}#/cluster");
        await Assertions.Expect(page.Locator("#silos table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#cluster-links a").First).ToHaveAttributeAsync("href", "/dashboard");

        browser.AssertOnlyOrigin(origin);
        Assert.Empty(browser.Dialogs);

        // The token: printed once, in the link; never in the run's log or its errors.
        Assert.Single(Regex.Matches(run.Output, Regex.Escape(token)));
        Assert.DoesNotContain(token, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(state, "silo.log")), StringComparison.Ordinal);
        // The terminal view goes on beside the page.
        Assert.Matches(@"\d+/3", run.Output);
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^sweep (\S+): \d+ trials;")]
    private static partial Regex SweepLine();
}
