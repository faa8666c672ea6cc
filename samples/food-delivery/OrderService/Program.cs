using FoodDelivery.OrderService;

Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    // Knative gives the port in $PORT; LISTEN_ADDRESS (optional) keeps it on one address, as the local run does with 127.0.0.1.
    app = OrderServiceApp.Build(args, new OrderServiceOptions { ListenAddress = Environment.GetEnvironmentVariable("LISTEN_ADDRESS") });
}
catch (InvalidOperationException e)
{
    // Bad configuration (for example $PORT): one line a person can act on, not a stack trace.
    await Console.Error.WriteLineAsync($"order service cannot start: {e.Message}");
    return 2;
}

await app.RunAsync();
return 0;
