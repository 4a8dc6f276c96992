using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>
/// Remembers the tickets that sign-in cookies and bearer tokens decrypt to, so that a session's every request does not
/// pay for the data-protection decryption again (AES-CBC, HMAC and a key derivation: half the server's CPU on a cached
/// page, measured with dotnet-trace). The key is the whole protected text: only the very same cookie or token finds
/// the entry, and it gets its own copy of the ticket. Everything that is checked after decryption still runs on every
/// request — expiry, sliding renewal, the security-stamp check that ends sessions of disabled accounts. The entries
/// are bounded in number and live at most <see cref="Lifetime"/>; a data-protection key that is revoked stops
/// working at the latest when its entries expire.
/// </summary>
public sealed class TicketCache(ISecureDataFormat<AuthenticationTicket> inner, MemoryCache cache, TimeProvider time)
    : ISecureDataFormat<AuthenticationTicket>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const int MaxEntries = 20_000;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);
    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);
    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText)) return inner.Unprotect(protectedText, purpose);
        var key = (purpose, protectedText);
        if (cache.TryGetValue(key, out AuthenticationTicket? known) && known is not null) return known.Clone();
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null) return null; // forged, tampered or from a revoked key: never remembered
        var until = time.GetUtcNow() + Lifetime;
        if (ticket.Properties.ExpiresUtc is { } expires && expires < until) until = expires;
        cache.Set(key, ticket.Clone(), new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
        return ticket;
    }

    /// <summary>Wraps the sign-in cookie's and the bearer token's formats once the framework has made them.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddKeyedSingleton(nameof(TicketCache), (_, _) => new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxEntries }));
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, WrapCookie>();
        services.AddSingleton<IPostConfigureOptions<BearerTokenOptions>, WrapBearer>();
    }

    private sealed class WrapCookie([FromKeyedServices(nameof(TicketCache))] MemoryCache cache, TimeProvider time)
        : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name == IdentityConstants.ApplicationScheme && options.TicketDataFormat is not TicketCache)
                options.TicketDataFormat = new TicketCache(options.TicketDataFormat, cache, time);
        }
    }

    private sealed class WrapBearer([FromKeyedServices(nameof(TicketCache))] MemoryCache cache, TimeProvider time)
        : IPostConfigureOptions<BearerTokenOptions>
    {
        public void PostConfigure(string? name, BearerTokenOptions options)
        {
            if (options.BearerTokenProtector is not TicketCache)
                options.BearerTokenProtector = new TicketCache(options.BearerTokenProtector, cache, time);
        }
    }
}
