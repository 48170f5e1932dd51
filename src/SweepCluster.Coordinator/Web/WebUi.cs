using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Web;

/// <summary>
/// The live web page: one small single-page app at <c>/</c> (sweeps, a sweep, a trial, the cluster, in hash routes),
/// its embedded assets under <c>/assets/</c>, the login form at <c>/login</c> and the third-party licences at
/// <c>/licenses</c>. Its data comes from the user API and from <see cref="WebApi"/>.
/// </summary>
/// <remarks>
/// The page needs the user role, from the bearer header (a proxy) or from the cookie the login form sets
/// (<see cref="WebCookie"/>). A valid <c>?token=</c> on a page address (the link <c>sweepcluster run</c> prints) sets the
/// cookie and redirects to the same address without it, so the token stays out of the browser's history; the request
/// log never prints it either (<see cref="CoordinatorHost"/> keeps the hosting diagnostics' request lines out of the
/// logs). An unauthenticated page request is sent to the login form; data requests answer 401.
/// </remarks>
public static class WebUi
{
    /// <summary>What the page may load and run: its own origin only, images also from blobs (panels) and data URIs.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", Page).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/login", (HttpContext context) => LoginForm(context, null, StatusCodes.Status200OK)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/assets/{**path}", Asset).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/licenses", Licenses).AllowAnonymous().ExcludeFromDescription();
        app.MapWebApi();
        return app;
    }

    private static IResult Page(HttpContext context, CoordinatorTokens tokens)
    {
        var query = context.Request.Query;
        if (query.TryGetValue("token", out var presented))
        {
            if (tokens.RoleOf(presented.ToString()) != CoordinatorRoles.User)
            {
                return LoginForm(context, "That link's token is not this coordinator's user token.", StatusCodes.Status401Unauthorized);
            }

            WebCookie.Set(context.Response, presented.ToString());
            // The same address without the token: it does not stay in the address bar, the history or a bookmark.
            var rest = query.Where(q => !string.Equals(q.Key, "token", StringComparison.Ordinal))
                .ToDictionary(q => q.Key, q => (StringValues)q.Value, StringComparer.Ordinal);
            return Results.Redirect(QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, rest));
        }

        if (!IsUser(context))
        {
            return Results.Redirect(context.Request.PathBase + "/login");
        }

        return Html(context, WebAssets.Text("index.html"), StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, CoordinatorTokens tokens)
    {
        // A login posted from another site's page is refused: it could sign this browser in with someone else's token.
        if (context.Request.Headers.Origin is { Count: > 0 } origin
            && !string.Equals(origin.ToString(), $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!context.Request.HasFormContentType)
        {
            return LoginForm(context, "Send the token from the form.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["token"].ToString().Trim();
        if (tokens.RoleOf(token) != CoordinatorRoles.User)
        {
            return LoginForm(context, "That is not this coordinator's user token.", StatusCodes.Status401Unauthorized);
        }

        WebCookie.Set(context.Response, token);
        return Results.Redirect(context.Request.PathBase + "/", permanent: false, preserveMethod: false);
    }

    private static IResult Asset(HttpContext context, string path)
    {
        if (WebAssets.Find(path) is not { } file || path.EndsWith(".html", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(file.Content, file.ContentType);
    }

    /// <summary>The licences of what the page ships from others (the chart library), as plain text.</summary>
    private static IResult Licenses(HttpContext context)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var text = new StringBuilder("SweepCluster's web page ships this third-party software.\n\n");
        text.Append("uPlot (https://github.com/leeoniya/uPlot), embedded as /assets/vendor/uPlot.iife.min.js and uPlot.min.css:\n\n");
        text.Append(WebAssets.Find("vendor/uPlot.LICENSE.txt") is { } license
            ? Encoding.UTF8.GetString(license.Content)
            : "(not embedded in this build: build with ./build.sh, which installs it)\n");
        return Results.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    private static bool IsUser(HttpContext context) => context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(CoordinatorRoles.User);

    private static IResult LoginForm(HttpContext context, string? error, int status) =>
        Html(context, WebAssets.Text("login.html").Replace("<!--error-->",
            error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(error)}</p>", StringComparison.Ordinal), status);

    private static IResult Html(HttpContext context, string html, int status)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        // same-origin, not no-referrer: with no referrer a form post carries "Origin: null", which the login refuses.
        headers["Referrer-Policy"] = "same-origin";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
