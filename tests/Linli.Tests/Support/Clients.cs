using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Linli.Web.Features.Demo;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Linli.Tests.Support;

/// <summary>Demo accounts (see DemoSeeder) and ways in: bearer-token API clients and cookie page clients.</summary>
public static partial class Clients
{
    public const string Secretary = "13800000001";
    public const string Staff = "13800000002";
    public const string GridMember = "13800000003";
    public const string PropertyStaff = "13800000004";
    public const string Volunteer = "13800000006";
    public const string SubdistrictAdmin = "13800000007";
    public const string SystemAdmin = "13800000008";
    public const string SecurityAdmin = "13800000009";
    public const string AuditAdmin = "13800000010";
    public const string OtherSecretary = "13800000011"; // 阳光社区
    public const string Resident = "13900000001";
    public const string Password = DemoSeeder.Password;

    public static string CurrentCode() => Totp.Code(DemoSeeder.TotpKey, DateTimeOffset.UtcNow);

    public static async Task<HttpClient> ApiAsAsync(this WebApplicationFactory<Program> app, string phone, string password = Password, string? totpKey = DemoSeeder.TotpKey)
    {
        var client = app.CreateClient();
        var token = await TokenAsync(client, phone, password, totpKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<string> TokenAsync(HttpClient client, string phone, string password = Password, string? totpKey = DemoSeeder.TotpKey)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new { phone, password, twoFactorCode = totpKey is null ? null : Totp.Code(totpKey, DateTimeOffset.UtcNow) });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A browser-like client (cookies, no automatic redirects) signed in through the login pages.</summary>
    public static async Task<HttpClient> PagesAsAsync(this WebApplicationFactory<Program> app, string phone, string password = Password, string? totpKey = DemoSeeder.TotpKey)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostFormAsync("/account/login", new() { ["Phone"] = phone, ["Password"] = password });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        if (response.Headers.Location!.OriginalString.StartsWith("/account/2fa", StringComparison.Ordinal))
        {
            response = await client.PostFormAsync(response.Headers.Location.OriginalString, new() { ["Code"] = Totp.Code(totpKey!, DateTimeOffset.UtcNow) });
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        }
        return client;
    }

    public static HttpClient Anonymous(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>GETs the form page first to pick up the antiforgery token, then POSTs the form, as a browser does.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? url);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(page) };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static string AntiforgeryToken(string html)
    {
        return Html.Parse(html).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No antiforgery token in the page.");
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    /// <summary>A 400 ProblemDetails whose errors name the field (case-insensitive).</summary>
    public static async Task<string> ShouldBeFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var json = await response.JsonAsync(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = json.GetProperty("errors");
        var match = errors.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        match.Value.ValueKind.ShouldBe(JsonValueKind.Array, $"errors should name {field}: {errors}");
        return match.Value[0].GetString()!;
    }

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];
}
