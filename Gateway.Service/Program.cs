using Gateway.Service.Cli;

// `gateway` with no command serves, as `gateway run` does.
return await GatewayCommandLine.Create().Parse(args.Length == 0 ? ["run"] : args).InvokeAsync();
