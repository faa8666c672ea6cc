using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Where an adapter process's allocations go, from the runtime's GC AllocationTick events (one per
// ~100 KB allocated, naming the type that crossed the mark, with the stack): bytes by type, by the
// innermost frame outside CoreLib, and by the innermost frame of the adapter's own code.
// Usage: RocketMqSource.AllocationProfile TRACE.nettrace [EVENTS] [TOP]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: RocketMqSource.AllocationProfile TRACE.nettrace [EVENTS] [TOP]");
    return 2;
}

var events = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 25;
using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byType = new Dictionary<string, long>();
var bySite = new Dictionary<string, long>();
var byOwnCode = new Dictionary<string, long>();
long total = 0;
foreach (var tick in log.Events.ByEventType<GCAllocationTickTraceData>())
{
    var bytes = tick.AllocationAmount64;
    total += bytes;
    Add(byType, tick.TypeName, bytes);
    string? site = null;
    string? own = null;
    for (var frame = tick.CallStack(); frame is not null && own is null; frame = frame.Caller)
    {
        var module = frame.CodeAddress.ModuleName;
        var method = frame.CodeAddress.FullMethodName;
        if (site is null && module is not ("System.Private.CoreLib" or "coreclr" or "libcoreclr" or "") && !string.IsNullOrEmpty(method))
        {
            site = $"{module}!{method}";
        }

        if (module.StartsWith("RocketMqSource", StringComparison.Ordinal))
        {
            own = method;
        }
    }

    Add(bySite, $"{tick.TypeName} @ {site ?? "(CoreLib / runtime only)"}", bytes);
    Add(byOwnCode, own ?? "(no adapter frame: runtime, thread pool, Kestrel, gRPC callbacks)", bytes);
}

var per = events > 0 ? $", {total / 1024.0 / events:0.00} KB per event over {events:N0} events" : string.Empty;
Console.WriteLine($"{total / 1048576.0:N1} MiB sampled by AllocationTick{per}");
Print("by type", byType);
Print("by type @ innermost frame outside CoreLib", bySite);
Print("by innermost adapter frame", byOwnCode);
return 0;

void Print(string title, Dictionary<string, long> table)
{
    Console.WriteLine($"\n## {title}");
    foreach (var (key, bytes) in table.OrderByDescending(pair => pair.Value).Take(top))
    {
        var perEvent = events > 0 ? $"{bytes / (double)events,8:N0} B/event" : string.Empty;
        Console.WriteLine($"{100.0 * bytes / total,5:0.0} % {perEvent}  {key}");
    }
}

static void Add(Dictionary<string, long> table, string key, long bytes) =>
    table[key] = table.GetValueOrDefault(key) + bytes;
