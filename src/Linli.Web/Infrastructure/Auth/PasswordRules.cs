using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>At least 8 characters with at least 3 of the 4 classes: lower case, upper case, digits, symbols.</summary>
public sealed class PasswordRules(Texts t) : IPasswordValidator<AppUser>
{
    public const int MinLength = 8;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(IsStrong(password)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "PasswordWeak", Description = t.Get("account.password_rules") }));

    public static bool IsStrong(string? password)
    {
        if (password is null || password.Length < MinLength) return false;
        var classes = 0;
        if (password.Any(char.IsLower)) classes++;
        if (password.Any(char.IsUpper)) classes++;
        if (password.Any(char.IsDigit)) classes++;
        if (password.Any(c => !char.IsLetterOrDigit(c))) classes++;
        return classes >= 3;
    }
}

/// <summary>Disabled accounts may not sign in (and lose their sessions when the security stamp changes).</summary>
public sealed class EnabledAccountConfirmation : IUserConfirmation<AppUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(!user.IsDisabled);
}
