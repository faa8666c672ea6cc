using System.Globalization;
using System.Text.RegularExpressions;
using FoodDelivery.LocalRun.Keda;
using FoodDelivery.LocalRun.Serving;
using RocketMqSource.Samples.Tests.Manifests;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>The local run scales by what the sample's manifests ask of Knative and KEDA, not by numbers of its own.</summary>
public sealed partial class SampleScalingSettingsTests
{
    [Fact]
    public void The_order_service_is_scaled_by_the_annotations_of_its_knative_service()
    {
        var ksvc = Manifest.LoadFile(Path.Combine(SampleManifests.ConfigDirectory, "400-order-service.yaml")).Single();
        var annotations = ksvc.Document["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
        string Annotation(string name) => (string)annotations[$"autoscaling.knative.dev/{name}"]!;
        var settings = KpaSettings.ForOrderService();

        Assert.Equal("kpa.autoscaling.knative.dev", Annotation("class"));
        Assert.Equal("rps", Annotation("metric"));
        Assert.Equal(KpaMetric.Rps, settings.Metric);
        Assert.Equal(double.Parse(Annotation("target"), CultureInfo.InvariantCulture), settings.Target);
        Assert.Equal(double.Parse(Annotation("target-utilization-percentage"), CultureInfo.InvariantCulture) / 100, settings.TargetUtilization);
        Assert.Equal(Seconds(Annotation("window")), settings.StableWindow);
        Assert.Equal(Seconds(Annotation("scale-to-zero-pod-retention-period")), settings.ScaleToZeroPodRetention);
        Assert.Equal(int.Parse(Annotation("min-scale"), CultureInfo.InvariantCulture), settings.MinScale);
        Assert.Equal(int.Parse(Annotation("max-scale"), CultureInfo.InvariantCulture), settings.MaxScale);
    }

    [Fact]
    public void The_adapters_are_scaled_by_the_keda_annotations_of_the_sample_source()
    {
        // Commented out in the sample (KEDA must be installed first); the local run applies them.
        var text = File.ReadAllText(Path.Combine(SampleManifests.ConfigDirectory, "600-rocketmqsource.yaml"));
        var annotations = CommentedAnnotation().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        var settings = ScaledObjectSettings.ForOrderSource();

        Assert.Equal("keda.autoscaling.knative.dev", annotations["class"]);
        Assert.Equal(int.Parse(annotations["min-scale"], CultureInfo.InvariantCulture), settings.MinReplicaCount);
        Assert.Equal(int.Parse(annotations["max-scale"], CultureInfo.InvariantCulture), settings.MaxReplicaCount);
        Assert.Equal(double.Parse(annotations["lag-threshold"], CultureInfo.InvariantCulture), settings.Threshold);
        // The rest are the annotations' defaults the controller writes (docs/operations.md "Scaling").
        Assert.Equal(TimeSpan.FromSeconds(10), settings.PollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CooldownPeriod);
        Assert.Equal(0, settings.ActivationThreshold);
    }

    private static TimeSpan Seconds(string goDuration) =>
        TimeSpan.FromSeconds(int.Parse(goDuration.TrimEnd('s'), CultureInfo.InvariantCulture));

    [GeneratedRegex("""#\s+autoscaling\.eventing\.knative\.dev/(?<name>[a-z-]+):\s+"?(?<value>[^"\s]+)"?""")]
    private static partial Regex CommentedAnnotation();
}
