using FoodDelivery.OrderService;

Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    app = OrderServiceApp.Build(args);
}
catch (InvalidOperationException e)
{
    // Bad configuration (for example $PORT): one line a person can act on, not a stack trace.
    await Console.Error.WriteLineAsync($"order service cannot start: {e.Message}");
    return 2;
}

await app.RunAsync();
return 0;
