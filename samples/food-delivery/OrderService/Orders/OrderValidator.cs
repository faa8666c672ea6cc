using System.Text.Json;
using System.Text.RegularExpressions;

namespace FoodDelivery.OrderService.Orders;

/// <summary>
/// Checks an order document field by field and reports every broken rule, each naming its
/// field, so a 400 tells the shop exactly what to fix. Unknown fields are ignored (the shop may
/// add fields without breaking this service).
/// </summary>
internal static partial class OrderValidator
{
    public const int MaxIdLength = 64;
    public const int MaxProductNameLength = 200;

    public static OrderValidationResult Validate(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return OrderValidationResult.Invalid([new(OrderFields.Order, $"the order must be a JSON object, not {Describe(document.ValueKind)}")]);
        }

        var errors = new List<OrderError>();
        var orderId = Identifier(document, OrderFields.OrderId, errors);
        var status = Status(document, errors);
        var phone = Phone(document, errors);
        var prodId = Identifier(document, OrderFields.ProdId, errors);
        var prodName = ProductName(document, errors);
        var money = Money(document, errors);
        var chargeTime = Time(document, OrderFields.ChargeTime, errors);
        var finishTime = Time(document, OrderFields.FinishTime, errors);
        if (chargeTime is { } charged && finishTime is { } finished && finished < charged)
        {
            errors.Add(new(OrderFields.FinishTime, $"{OrderFields.FinishTime} must not be before {OrderFields.ChargeTime}"));
        }

        return errors.Count > 0
            ? OrderValidationResult.Invalid(errors)
            : OrderValidationResult.Valid(new Order(orderId!, status!.Value, phone!, prodId!, prodName!, money!.Value, chargeTime!.Value, finishTime!.Value));
    }

    private static string? Identifier(JsonElement document, string field, List<OrderError> errors)
    {
        var text = RequiredString(document, field, errors);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0 || text.Length > MaxIdLength || !IdentifierPattern().IsMatch(text))
        {
            errors.Add(new(field, $"{field} must be 1 to {MaxIdLength} letters, digits, '.', '_' or '-'"));
            return null;
        }

        return text;
    }

    private static OrderStatus? Status(JsonElement document, List<OrderError> errors)
    {
        switch (RequiredString(document, OrderFields.OrderStatus, errors))
        {
            case null:
                return null;
            case OrderFields.Paid:
                return OrderStatus.Paid;
            case OrderFields.Cancelled:
                return OrderStatus.Cancelled;
            default:
                errors.Add(new(OrderFields.OrderStatus, $"{OrderFields.OrderStatus} must be {OrderFields.Paid} or {OrderFields.Cancelled}"));
                return null;
        }
    }

    private static string? Phone(JsonElement document, List<OrderError> errors)
    {
        var text = RequiredString(document, OrderFields.UserPhoneNo, errors);
        if (text is not null && !PhonePattern().IsMatch(text))
        {
            errors.Add(new(OrderFields.UserPhoneNo, $"{OrderFields.UserPhoneNo} must be 6 to 15 digits, optionally after a leading '+'"));
            return null;
        }

        return text;
    }

    private static string? ProductName(JsonElement document, List<OrderError> errors)
    {
        var text = RequiredString(document, OrderFields.ProdName, errors);
        if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > MaxProductNameLength))
        {
            errors.Add(new(OrderFields.ProdName, $"{OrderFields.ProdName} must be 1 to {MaxProductNameLength} characters and not blank"));
            return null;
        }

        return text;
    }

    private static decimal? Money(JsonElement document, List<OrderError> errors)
    {
        if (!document.TryGetProperty(OrderFields.ChargeMoney, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(Missing(OrderFields.ChargeMoney));
            return null;
        }

        // A JSON number, not a string: amounts are compared and summed, never parsed per locale.
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
        {
            errors.Add(new(OrderFields.ChargeMoney, $"{OrderFields.ChargeMoney} must be a decimal JSON number, not {Describe(value.ValueKind)}"));
            return null;
        }

        if (amount < 0 || decimal.Round(amount, 2) != amount)
        {
            errors.Add(new(OrderFields.ChargeMoney, $"{OrderFields.ChargeMoney} must be non-negative with at most 2 decimal places (got {value.GetRawText()})"));
            return null;
        }

        return amount;
    }

    private static DateTimeOffset? Time(JsonElement document, string field, List<OrderError> errors)
    {
        var text = RequiredString(document, field, errors);
        if (text is null)
        {
            return null;
        }

        if (!Rfc3339.TryParse(text, out var time))
        {
            errors.Add(new(field, $"{field} must be an RFC 3339 date-time such as 2026-11-21T12:30:00Z"));
            return null;
        }

        return time;
    }

    private static string? RequiredString(JsonElement document, string field, List<OrderError> errors)
    {
        if (!document.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(Missing(field));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(field, $"{field} must be a string, not {Describe(value.ValueKind)}"));
            return null;
        }

        return value.GetString();
    }

    private static OrderError Missing(string field) => new(field, $"{field} is required");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^\+?[0-9]{6,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
