namespace FoodDelivery.OrderProducer.Orders;

/// <summary>A dish on the menu.</summary>
internal sealed record Dish(string ProdId, string ProdName, decimal Price);

/// <summary>What the sample shop sells.</summary>
internal static class Menu
{
    public static readonly IReadOnlyList<Dish> Dishes =
    [
        new("P1001", "Beef noodle soup", 38.00m),
        new("P1002", "Kung pao chicken rice", 32.50m),
        new("P1003", "Shrimp dumplings (12)", 28.00m),
        new("P1004", "Mapo tofu", 24.00m),
        new("P1005", "Congee with century egg", 12.00m),
        new("P1006", "Soy milk and fried dough", 8.50m),
        new("P1007", "Margherita pizza", 59.00m),
        new("P1008", "Chicken caesar salad", 36.00m),
        new("P1009", "Bubble milk tea", 16.00m),
        new("P1010", "Spicy hot pot for two", 128.00m),
    ];

    public static readonly IReadOnlyList<string> Channels = ["app", "web", "mini-program"];
}
