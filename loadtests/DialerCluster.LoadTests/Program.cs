using DialerCluster.LoadTests.Cli;

return await LoadTestCommands.InvokeAsync(args);
