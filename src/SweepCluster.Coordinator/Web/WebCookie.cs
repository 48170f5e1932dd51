namespace SweepCluster.Coordinator.Web;

/// <summary>
/// The cookie the login form (or a <c>?token=</c> link) sets: the user token, HttpOnly (no script reads it) and
/// SameSite=Strict (no other site's page sends it). It authenticates safe requests only (GET, HEAD; see
/// <see cref="Security.BearerTokenHandler"/>): whatever changes state still needs the bearer header, so no other page can
/// make a signed-in browser change anything.
/// </summary>
public static class WebCookie
{
    public const string Name = "sweepcluster_token";

    /// <summary>How long a browser keeps the cookie.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Whether the cookie may authenticate a request of this method.</summary>
    public static bool Accepts(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    public static void Set(HttpResponse response, string token)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = response.HttpContext.Request.IsHttps,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }
}
