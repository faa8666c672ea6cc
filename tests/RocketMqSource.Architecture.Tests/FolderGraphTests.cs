namespace RocketMqSource.Architecture.Tests;

/// <summary>The rule's checks fail where they should: graphs made up here, and the adapter's real one with a use added back.</summary>
public sealed class FolderGraphTests
{
    private static readonly string[] Layers = ["Configuration", "Delivery", "Operations", "Hosting"];

    [Fact]
    public void A_use_in_both_directions_is_a_cycle_and_goes_against_the_order()
    {
        var graph = new FolderGraph([
            ("Delivery", "Configuration", "a"),
            ("Delivery", "Operations", "EventDispatcher uses AdapterTelemetry"),
            ("Operations", "Delivery", "AdapterTelemetry uses EndReason"),
        ]);

        Assert.Equal([["Delivery", "Operations"]], graph.Cycles());
        Assert.Equal(["Delivery -> Operations (EventDispatcher uses AdapterTelemetry)"], graph.AgainstOrder(Layers).Select(edge => edge.ToString()));
    }

    [Fact]
    public void A_longer_circle_is_one_cycle_and_the_folders_outside_it_are_not_in_it()
    {
        var graph = new FolderGraph([("A", "B", "x"), ("B", "C", "x"), ("C", "A", "x"), ("D", "A", "x"), ("C", "E", "x")]);

        Assert.Equal([["A", "B", "C"]], graph.Cycles());
    }

    [Fact]
    public void Uses_downward_only_make_no_cycle_and_keep_the_order()
    {
        var graph = new FolderGraph([("Hosting", "Operations", "x"), ("Hosting", "Configuration", "x"), ("Operations", "Delivery", "x"), ("Delivery", "Configuration", "x")]);

        Assert.Empty(graph.Cycles());
        Assert.Empty(graph.AgainstOrder(Layers));
    }

    [Fact]
    public void A_folder_the_order_does_not_list_goes_against_it()
    {
        var graph = new FolderGraph([("Hosting", "Telemetry", "x")]);

        Assert.Equal(["Hosting -> Telemetry (x)"], graph.AgainstOrder(Layers).Select(edge => edge.ToString()));
    }

    [Fact]
    public void A_folder_using_itself_is_no_edge()
    {
        Assert.Empty(new FolderGraph([("Delivery", "Delivery", "x")]).Edges);
    }

    /// <summary>The adapter as built, plus the use main had before Delivery took its telemetry (AdapterTelemetry read EndReason while EventDispatcher read AdapterTelemetry).</summary>
    [Fact]
    public void The_adapter_with_Operations_using_Delivery_again_has_a_cycle()
    {
        var built = AssemblyFolders.Read("RocketMqSource.Adapter");
        Assert.Contains(built.Edges, edge => edge is { From: "Operations", To: "Delivery" });

        var broken = new FolderGraph([.. built.Edges.Select(edge => (edge.From, edge.To, edge.Example)), ("Delivery", "Operations", "EventDispatcher uses ReadinessState")]);

        Assert.Contains(broken.Cycles(), cycle => cycle.Contains("Delivery") && cycle.Contains("Operations"));
        Assert.Contains(broken.AgainstOrder(FolderOrder.Read()["RocketMqSource.Adapter"]), edge => edge is { From: "Delivery", To: "Operations" });
    }

    [Fact]
    public void The_order_table_is_read_from_its_section_only()
    {
        var order = FolderOrder.Parse([
            "## Elsewhere",
            "| `RocketMqSource.Other` | A, B |",
            "## The folder rule",
            "| Project | Folders, bottom first |",
            "|---|---|",
            "| `RocketMqSource.Adapter` | `Configuration`, `Delivery`, (root) |",
            "## After",
        ]);

        Assert.Equal(["RocketMqSource.Adapter"], order.Keys);
        Assert.Equal(["Configuration", "Delivery", "(root)"], order["RocketMqSource.Adapter"]);
    }
}
