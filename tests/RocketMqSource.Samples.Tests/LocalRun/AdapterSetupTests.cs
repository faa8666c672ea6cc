using FoodDelivery.LocalRun;
using FoodDelivery.LocalRun.Processes;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class AdapterSetupTests
{
    [Fact]
    public void The_adapter_gets_the_samples_RocketMQSource_as_environment_variables()
    {
        var options = new LocalRunOptions { Topic = "orders", ConsumerGroup = "order-source" };

        var env = AdapterEnvironment.For(options, "127.0.0.1:18081", new Uri("http://127.0.0.1:18082/"), 18083, 18084);

        Assert.Equal("http://127.0.0.1:18082/", env["K_SINK"]);
        Assert.Equal("127.0.0.1:18081", env["ROCKETMQ_ENDPOINTS"]);
        Assert.Equal("orders", env["ROCKETMQ_TOPIC"]);
        Assert.Equal("order-source", env["ROCKETMQ_CONSUMER_GROUP"]);
        Assert.Equal("PAID || CANCELLED", env["ROCKETMQ_FILTER_EXPRESSION"]);
        Assert.Equal("orders", env["NAME"]);
        Assert.Equal("food-delivery", env["NAMESPACE"]);
        Assert.Equal("18083", env["HEALTH_PORT"]);
        Assert.Equal("18084", env["METRICS_PORT"]);
        Assert.False(env.ContainsKey("ROCKETMQ_ACCESS_KEY"));
        Assert.False(env.ContainsKey("ROCKETMQ_SECRET_KEY"));
    }

    [Fact]
    public void Credentials_reach_the_adapter_only_as_a_pair()
    {
        var sink = new Uri("http://127.0.0.1:1/");
        var both = AdapterEnvironment.For(new LocalRunOptions { AccessKey = "ak", SecretKey = "sk" }, "h:1", sink, 1, 2);
        var half = AdapterEnvironment.For(new LocalRunOptions { AccessKey = "ak" }, "h:1", sink, 1, 2);

        Assert.Equal("ak", both["ROCKETMQ_ACCESS_KEY"]);
        Assert.Equal("sk", both["ROCKETMQ_SECRET_KEY"]);
        Assert.False(half.ContainsKey("ROCKETMQ_ACCESS_KEY"));
    }

    [Fact]
    public void The_adapter_dll_is_found_next_to_this_program_with_its_runtimeconfig()
    {
        var found = ProgramLocator.Adapter.Find(AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, ProgramLocator.Adapter.DllName), found);
    }

    [Fact]
    public void The_order_service_dll_is_found_next_to_this_program_with_its_runtimeconfig()
    {
        var found = ProgramLocator.OrderService.Find(AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, ProgramLocator.OrderService.DllName), found);
    }

    [Fact]
    public void Without_a_built_adapter_nothing_is_found_and_the_fallback_is_the_adapters_bin_folder()
    {
        var empty = Directory.CreateTempSubdirectory("localrun-");
        try
        {
            Directory.CreateDirectory(Path.Combine(empty.FullName, "src", "RocketMqSource.Adapter"));
            var deep = Directory.CreateDirectory(Path.Combine(empty.FullName, "samples", "x", "bin"));

            Assert.Null(ProgramLocator.Adapter.Find(deep.FullName));
            Assert.Contains(
                Path.Combine(empty.FullName, "src", "RocketMqSource.Adapter", "bin", "Release", "net10.0", ProgramLocator.Adapter.DllName),
                ProgramLocator.Adapter.Candidates(deep.FullName));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_published_aot_adapter_runs_when_it_is_not_older_than_the_built_dll()
    {
        var root = Directory.CreateTempSubdirectory("localrun-");
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "RocketMqSource.Adapter"));
            var dll = Path.Combine(project.FullName, "bin", "Debug", "net10.0", ProgramLocator.Adapter.DllName);
            Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
            File.WriteAllText(dll, "dll");
            var rid = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            var native = Path.Combine(project.FullName, "bin", "Release", "net10.0", rid, "publish", "RocketMqSource.Adapter");
            var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "samples", "x", "bin")).FullName;
            Assert.Null(ProgramLocator.Adapter.PublishedNative(deep, dll));

            Directory.CreateDirectory(Path.GetDirectoryName(native)!);
            File.WriteAllText(native, "executable");
            File.SetLastWriteTimeUtc(dll, new DateTime(2026, 12, 8, 1, 0, 0, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(native, new DateTime(2026, 12, 8, 1, 5, 0, DateTimeKind.Utc));
            Assert.Equal(native, ProgramLocator.Adapter.PublishedNative(deep, dll));

            // A build after a source change rewrote the dll: the older executable would run stale code.
            File.SetLastWriteTimeUtc(dll, new DateTime(2026, 12, 8, 1, 10, 0, DateTimeKind.Utc));
            Assert.Null(ProgramLocator.Adapter.PublishedNative(deep, dll));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
