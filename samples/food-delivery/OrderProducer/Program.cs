using FoodDelivery.OrderProducer.Cli;

return await ProducerCommand.Create(Console.Out).Parse(args).InvokeAsync();
