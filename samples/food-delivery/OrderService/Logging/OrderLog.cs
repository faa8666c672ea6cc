namespace FoodDelivery.OrderService.Logging;

/// <summary>Writes whole log lines to one writer; concurrent requests never interleave within a line.</summary>
internal sealed class OrderLog(TextWriter? writer)
{
    private readonly TextWriter _writer = TextWriter.Synchronized(writer ?? Console.Out);

    public void Write(string line) => _writer.WriteLine(line);
}
