using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Service.Operations.Dashboard;

/// <summary>The dashboard's page, script and style sheet, compiled in: no CDN, no framework, nothing fetched at run time.</summary>
internal static class DashboardAssets
{
    public static ContentHttpResult Page() => TypedResults.Text(DashboardPage.Html, "text/html; charset=utf-8", Encoding.UTF8);

    public static ContentHttpResult Script() => TypedResults.Text(DashboardScript.JavaScript, "text/javascript; charset=utf-8", Encoding.UTF8);

    public static ContentHttpResult Styles() => TypedResults.Text(DashboardStyles.Css, "text/css; charset=utf-8", Encoding.UTF8);
}
