using Microsoft.Playwright;
using Xunit;

namespace SweepCluster.Testing.Web;

/// <summary>
/// A headless chromium (Debian's package, which <c>./build.sh deps</c> installs) driven by Playwright's own driver from
/// its NuGet package: nothing is downloaded. Every page it opens records each request it makes and each dialog
/// (<c>alert</c>) it shows, so a test can check that the page asked for nothing outside the product and ran no
/// injected script. Dispose closes the browser and the driver.
/// </summary>
public sealed class WebBrowser : IAsyncDisposable
{
    /// <summary>Set to another chromium's path to use it instead of Debian's.</summary>
    public const string ChromiumVariable = "SWEEPCLUSTER_CHROMIUM";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Lock _lock = new();
    private readonly List<string> _requests = [];
    private readonly List<string> _dialogs = [];
    private readonly List<string> _errors = [];

    private WebBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Where the tests write their screenshots (the repository's <c>artifacts/web-screenshots</c>).</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
                {
                    var path = Path.Combine(directory.FullName, "artifacts", "web-screenshots");
                    Directory.CreateDirectory(path);
                    return path;
                }
            }

            throw new InvalidOperationException($"no SweepCluster.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Every URL a page of this browser requested, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The messages of the dialogs pages opened (each was dismissed).</summary>
    public IReadOnlyList<string> Dialogs
    {
        get
        {
            lock (_lock)
            {
                return [.. _dialogs];
            }
        }
    }

    /// <summary>Script errors and console errors of the pages, and requests that failed.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<WebBrowser> LaunchAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: install Debian's chromium (./build.sh deps) or set {ChromiumVariable}");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                // Tests run as root in CI, where chromium's sandbox cannot start; /dev/shm may be small in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 60_000,
            });
            return new WebBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page in a fresh context (no cookies), allowed to use the clipboard on <paramref name="origin"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = origin.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.Request += (_, request) =>
        {
            lock (_lock)
            {
                _requests.Add(request.Url);
            }
        };
        page.PageError += (_, error) => AddError("script error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                AddError("console: " + message.Text);
            }
        };
        page.RequestFailed += (_, request) => AddError($"request failed: {request.Url} ({request.Failure})");
        page.Dialog += async (_, dialog) =>
        {
            lock (_lock)
            {
                _dialogs.Add(dialog.Message);
            }

            await dialog.DismissAsync();
        };
        return page;
    }

    /// <summary>Fails unless every request went to <paramref name="origin"/> (blob and data URLs are the page's own).</summary>
    public void AssertOnlyOrigin(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var own = origin.GetLeftPart(UriPartial.Authority) + "/";
        var requests = Requests;
        Assert.NotEmpty(requests);
        var foreign = requests.Where(r => !r.StartsWith(own, StringComparison.Ordinal) && !r.StartsWith("blob:" + own, StringComparison.Ordinal)
            && !r.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, $"requests outside {own}:\n{string.Join('\n', foreign)}");
        AssertNoScriptErrors();
    }

    /// <summary>Fails when a page had a script error (the page's own code must run cleanly).</summary>
    public void AssertNoScriptErrors()
    {
        var errors = Errors.Where(e => e.StartsWith("script error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    /// <summary>Writes a full-page screenshot to <see cref="ScreenshotDirectory"/> and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private void AddError(string error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
