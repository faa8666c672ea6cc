namespace FoodDelivery.OrderService.Orders;

/// <summary>One broken rule: the field it concerns and a sentence that names it.</summary>
internal sealed record OrderError(string Field, string Message);

/// <summary>Either a valid order or every rule it breaks.</summary>
internal sealed record OrderValidationResult(Order? Order, IReadOnlyList<OrderError> Errors)
{
    public bool IsValid => Order is not null;

    public static OrderValidationResult Valid(Order order) => new(order, []);

    public static OrderValidationResult Invalid(IReadOnlyList<OrderError> errors) => new(null, errors);
}
