using Gateway.Service.Cli;

return await GatewayCommandLine.Create().Parse(args).InvokeAsync();
