using Gateway.Crypto.DevPki;
using Gateway.Tests.Federation;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Dashboard;

/// <summary>
/// Debian's headless Chromium driven by Playwright (DESIGN §13: Playwright's own browser download fails here), with
/// one browser context per internal role, each presenting that role's client certificate to one node's internal
/// listener. Fails, never skips, when chromium is not installed.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _pki;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, string pki)
    {
        _playwright = playwright;
        _browser = browser;
        _pki = pki;
    }

    /// <summary>Starts a browser that trusts <paramref name="node"/>'s internal CA for that node's server certificate.</summary>
    public static async Task<DashboardBrowser> LaunchAsync(TestFederation federation, GatewayNode node)
    {
        var chromium = FindChromium() ?? throw new InvalidOperationException(
            "The dashboard tests need Debian's chromium on PATH (`command -v chromium` found nothing). "
            + "Install it with `apt-get install -y chromium` (./test.sh does this when it can run as root).");

        // With client certificates, Playwright's driver (Node.js) opens the TLS connection to the node itself and
        // checks the server certificate against the system roots plus this file, read once when the driver starts:
        // the node's private internal CA is trusted, nothing else is relaxed (no IgnoreHTTPSErrors).
        Environment.SetEnvironmentVariable("NODE_EXTRA_CA_CERTS", DevPkiLayout.InternalCaFile(federation.Pki, node.Identity.NodeId));
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Args = ChromiumArguments, Headless = true });
            return new DashboardBrowser(playwright, browser, federation.Pki);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser context (its own cookies and cache) presenting <paramref name="role"/>'s certificate to <paramref name="node"/>.</summary>
    public async Task<IPage> NewPageAsync(GatewayNode node, string role)
    {
        var origin = node.InternalBase.GetLeftPart(UriPartial.Authority);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = origin,
            ViewportSize = new ViewportSize { Width = 1500, Height = 1000 },
            ClientCertificates =
            [
                new ClientCertificate
                {
                    Origin = origin,
                    CertPath = DevPkiLayout.ClientCertificateFile(_pki, node.Identity.NodeId, role),
                    KeyPath = DevPkiLayout.ClientKeyFile(_pki, node.Identity.NodeId, role),
                },
            ],
        });
        return await context.NewPageAsync();
    }

    /// <summary>Opens /ops and waits until the page has rendered its first refresh.</summary>
    public async Task<(IPage Page, IResponse Response)> OpenDashboardAsync(GatewayNode node, string role)
    {
        var page = await NewPageAsync(node, role);
        var response = await page.GotoAsync("/ops") ?? throw new InvalidOperationException("no response for /ops");
        await page.WaitForSelectorAsync("body[data-refreshes]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        return (page, response);
    }

    /// <summary>A full-page screenshot in the test output folder; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper output)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string? FindChromium() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "chromium"))
            .FirstOrDefault(File.Exists);
}
