namespace DialerCluster.Host.Auth;

/// <summary>
/// Sign-in settings. The first admin comes from the environment (DIALER_ADMIN_USER, default "admin";
/// DIALER_ADMIN_PASSWORD) and is created only while no user exists, so a changed variable never
/// silently resets a live password.
/// </summary>
internal sealed record AuthOptions(
    string AdminUser,
    string? AdminPassword,
    bool DemoEnabled,
    string DemoPassword,
    TimeSpan TokenLifetime,
    TimeSpan CookieLifetime)
{
    public const int MinPasswordLength = 8;

    public static AuthOptions FromConfiguration(IConfiguration configuration)
    {
        var adminUser = configuration["DIALER_ADMIN_USER"];
        return new AuthOptions(
            string.IsNullOrWhiteSpace(adminUser) ? "admin" : adminUser.Trim(),
            configuration["DIALER_ADMIN_PASSWORD"],
            configuration.GetValue("Demo:Enabled", false),
            configuration["Demo:Password"] is { Length: > 0 } demoPassword ? demoPassword : "demo-pass-1",
            TimeSpan.FromMinutes(configuration.GetValue("Auth:TokenMinutes", 60)),
            TimeSpan.FromHours(configuration.GetValue("Auth:CookieHours", 12)));
    }
}
