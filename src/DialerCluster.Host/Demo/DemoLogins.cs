using DialerCluster.Host.Auth;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Demo;

/// <summary>
/// Sets the demo up once the host's services have started (the schema is migrated and the first admin made by then) and
/// prints the logins for people.
/// </summary>
internal sealed class DemoLogins(DemoSetup setup, UserDirectory users, AuthOptions auth) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var world = await setup.EnsureAsync(cancellationToken);
        var lines = new List<string> { $"  supervisor wall : user '{DemoSetup.SupervisorLogin}', password '{auth.DemoPassword}'" };
        lines.AddRange(world.Logins.Select(l => $"  agent desk      : user '{l.UserName}', password '{auth.DemoPassword}' ({l.AgentName})"));
        if (await users.FindAsync(auth.AdminUser, cancellationToken) is not null && string.IsNullOrEmpty(auth.AdminPassword))
        {
            lines.Add($"  admin           : user '{auth.AdminUser}', password '{auth.DemoPassword}'");
        }

        // The console, not only the log: whoever started the demo needs these to sign in.
        Console.WriteLine("Demo sign-in (open / in a browser):" + Environment.NewLine + string.Join(Environment.NewLine, lines));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
