using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Sinks;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// Over generated specs (values on both sides of every bound both sides check): a spec the
/// controller accepts gives an environment the adapter accepts, so no source the controller
/// reports as valid can leave its adapter crash-looping on a configuration error.
/// </summary>
public sealed class AdapterContractProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1000);

    private static Gen<T?> Maybe<T>(Gen<T> values)
        where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (4, values.Select(v => (T?)v)));

    private static Gen<int?> MaybeInt(params int[] values) =>
        Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Elements(values).Select(v => (int?)v)));

    private static Gen<RocketMQSourceSpec> Specs() =>
        from endpoints in Gen.Elements("rmq-proxy:8081", "a:1;b:65535", "a:1;;b:2", " a:1", "a:1; b:2", "[::1]:8081", "rmq-proxy", "rmq:0", "rmq:65536", "h/x:1", ";")
        from batch in MaybeInt(-1, 0, 1, 16, 32, 33)
        from maxInFlight in MaybeInt(0, 1, 64, 4096, 4097, 10_000, 10_001)
        from invisible in Maybe(Gen.Elements("9s", "10s", "30s", "1m30s", "12h", "12h1s", "1.5h", "500ms", "90s", "forever", "0"))
        from await in Maybe(Gen.Elements("4s", "5s", "10s", "20s", "21s", "1m", "5.5s", "PT10S"))
        from ordering in Maybe(Gen.Elements("ordered", "unordered", "random"))
        from filter in Maybe(Gen.Elements(("TAG", "*"), ("SQL92", "region = 'eu'"), ("SQL92", "*"), ("tag", "a||b")).Select(f => new RocketMQFilter { Type = f.Item1, Expression = f.Item2 }))
        from delivery in Maybe(Deliveries())
        from overrides in Maybe(Gen.Elements("team", "a", "x1", "data", "data_base64", "type", "specversion", "Team", "averyveryverylongextensionname", "dash-ed", "").ListOf()
            .Select(names => new CloudEventOverrides { Extensions = names.Distinct().ToDictionary(n => n, n => "v") }))
        select new RocketMQSourceSpec
        {
            Endpoints = endpoints,
            Topic = "orders",
            ConsumerGroup = "order-dispatch",
            Filter = filter,
            BatchSize = batch,
            MaxInFlight = maxInFlight,
            InvisibleDuration = invisible,
            AwaitDuration = await,
            Ordering = ordering,
            Delivery = delivery,
            CeOverrides = overrides,
            Sink = new Destination { Uri = BrokerUrl.ToString() },
        };

    private static Gen<DeliverySpec> Deliveries() =>
        from retry in MaybeInt(-1, 0, 3, 100, 101)
        from policy in Maybe(Gen.Elements("linear", "exponential", "random"))
        from delay in Maybe(Gen.Elements("PT0.2S", "PT0S", "PT1H", "PT1H0.1S", "PT2H", "P1D", "0.2s", "PT"))
        from timeout in Maybe(Gen.Elements("PT2.1S", "PT0S", "PT30S", "PT1M", "30s"))
        select new DeliverySpec { Retry = retry, BackoffPolicy = policy, BackoffDelay = delay, Timeout = timeout };

    [Fact]
    public void A_spec_the_controller_accepts_gives_an_environment_the_adapter_accepts()
    {
        Prop.ForAll(Arb.From(Specs()), spec =>
        {
            var problems = SpecValidator.Validate(spec);
            if (problems.Count > 0)
            {
                return;
            }

            var source = Source();
            source.Spec = spec;
            var env = AdapterEnvironment.Build(source, new ResolvedAddress(BrokerUrl, null, null), null, Settings)
                .ToDictionary(v => v.Name, v => v.Value ?? "from-a-secret", StringComparer.Ordinal);
            try
            {
                AdapterOptionsParser.Parse(env!);
            }
            catch (ConfigurationException e)
            {
                Assert.Fail($"the controller accepted the spec but the adapter refuses its environment: {e.Message}");
            }
        }).Check(Config);
    }
}
