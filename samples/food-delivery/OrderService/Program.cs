using FoodDelivery.OrderService;

await OrderServiceApp.Build(args).RunAsync();
