using DialerCluster.Host.Auth.SignIn;

namespace DialerCluster.Host.Auth;

/// <summary>
/// Sign-in settings (<c>Auth:*</c>). The first admin comes from the environment (DIALER_ADMIN_USER, default "admin";
/// DIALER_ADMIN_PASSWORD) and is created only while no user exists, so a changed variable never silently resets a
/// live password. A bad value stops the start-up naming the key.
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

    /// <summary>Refresh tokens live this long (<c>Auth:RefreshTokenDays</c>); each refresh issues a new one and retires the old.</summary>
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How often a node reads the sessions other nodes ended (<c>Auth:SessionPollSeconds</c>): the bound on how stale it can be.</summary>
    public TimeSpan SessionPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public SignInLimits SignIn { get; init; } = new();

    /// <summary>Password hashes computed at once (<c>Auth:SignIn:HashingConcurrency</c>); the rest wait in a queue.</summary>
    public int HashingConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Sign-ins waiting for a hash at most (<c>Auth:SignIn:HashingQueue</c>); beyond, 503 with Retry-After.</summary>
    public int HashingQueue { get; init; } = 100;

    /// <summary><c>Always</c> marks the session cookie Secure even on plain HTTP (behind a TLS proxy); <c>SameAsRequest</c> (default) when the request was HTTPS.</summary>
    public CookieSecurePolicy CookieSecure { get; init; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>Origins besides the host's own allowed to send cookie-authenticated writes (<c>Auth:AllowedOrigins</c>, comma-separated).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Whether /openapi/v1.json is served to anonymous callers (<c>OpenApi:Anonymous</c>, default false: signed-in users only).</summary>
    public bool OpenApiAnonymous { get; init; }

    public static AuthOptions FromConfiguration(IConfiguration configuration)
    {
        var adminUser = configuration["DIALER_ADMIN_USER"];
        var signIn = configuration.GetSection("Auth:SignIn");
        var defaults = new SignInLimits();
        AuthOptions options;
        try
        {
            options = new AuthOptions(
                string.IsNullOrWhiteSpace(adminUser) ? "admin" : adminUser.Trim(),
                configuration["DIALER_ADMIN_PASSWORD"],
                configuration.GetValue("Demo:Enabled", false),
                configuration["Demo:Password"] is { Length: > 0 } demoPassword ? demoPassword : "demo-pass-1",
                TimeSpan.FromMinutes(Positive(configuration.GetValue("Auth:TokenMinutes", 60.0), "Auth:TokenMinutes")),
                TimeSpan.FromHours(Positive(configuration.GetValue("Auth:CookieHours", 12.0), "Auth:CookieHours")))
            {
                RefreshTokenLifetime = TimeSpan.FromDays(Positive(configuration.GetValue("Auth:RefreshTokenDays", 14.0), "Auth:RefreshTokenDays")),
                SessionPollInterval = TimeSpan.FromSeconds(Between(configuration.GetValue("Auth:SessionPollSeconds", 2.0), 0.05, 60, "Auth:SessionPollSeconds")),
                SignIn = defaults with
                {
                    UserFreeFailures = signIn.GetValue("UserFreeFailures", defaults.UserFreeFailures),
                    LockoutFailures = signIn.GetValue("LockoutFailures", defaults.LockoutFailures),
                    Lockout = TimeSpan.FromMinutes(signIn.GetValue("LockoutMinutes", defaults.Lockout.TotalMinutes)),
                    AddressFreeFailures = signIn.GetValue("AddressFreeFailures", defaults.AddressFreeFailures),
                    MaxDelay = TimeSpan.FromSeconds(signIn.GetValue("MaxDelaySeconds", defaults.MaxDelay.TotalSeconds)),
                    Forget = TimeSpan.FromMinutes(signIn.GetValue("ForgetMinutes", defaults.Forget.TotalMinutes)),
                },
                HashingConcurrency = (int)Between(signIn.GetValue("HashingConcurrency", Math.Max(1, Environment.ProcessorCount / 2)), 1, 256, "Auth:SignIn:HashingConcurrency"),
                HashingQueue = (int)Between(signIn.GetValue("HashingQueue", 100), 0, 100_000, "Auth:SignIn:HashingQueue"),
                CookieSecure = configuration.GetValue("Auth:CookieSecure", CookieSecurePolicy.SameAsRequest),
                AllowedOrigins = (configuration["Auth:AllowedOrigins"] ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(o => Origin(o, "Auth:AllowedOrigins"))
                    .ToArray(),
                OpenApiAnonymous = configuration.GetValue("OpenApi:Anonymous", false),
            };
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or OverflowException)
        {
            throw new InvalidOperationException($"Auth: {ex.Message}", ex);
        }

        var errors = options.SignIn.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => "Auth:SignIn:" + e)));
        }

        return options;
    }

    private static double Positive(double value, string key) =>
        value > 0 && double.IsFinite(value) ? value : throw new InvalidOperationException($"{key} must be a positive number, not {value}.");

    private static double Between(double value, double min, double max, string key) =>
        value >= min && value <= max ? value : throw new InvalidOperationException($"{key} must be from {min} to {max}, not {value}.");

    private static string Origin(string text, string key) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new InvalidOperationException($"{key}: '{text}' is not an origin like https://dialer.example.com");
}
