using System.Globalization;
using ScottPlot;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>One point of the run for the chart: orders stored so far, the backlog (ready + in flight), and each component's ready and wanted instances.</summary>
internal sealed record ChartSample(TimeSpan At, long Produced, long? Backlog, Replicas Service, Replicas Adapters);

/// <summary>
/// The run's chart (ScottPlot, PNG): orders produced per second and the RocketMQ backlog on the
/// left axis, order-service instances and adapter replicas as steps on the right, over the
/// seconds of the run. Pure: samples in, PNG bytes out.
/// </summary>
internal static class ScalingChart
{
    public const int Width = 1200;
    public const int Height = 620;

    /// <summary>The series' colours (Category10), fixed so the chart reads the same from run to run.</summary>
    public static readonly Color OrdersColor = Color.FromHex("#1f77b4");
    public static readonly Color BacklogColor = Color.FromHex("#ff7f0e");
    public static readonly Color ServiceColor = Color.FromHex("#2ca02c");
    public static readonly Color AdaptersColor = Color.FromHex("#9467bd");

    /// <summary>
    /// Whether SkiaSharp finds a font for the labels. Its NoDependencies build reads font files
    /// from the system's font folders without fontconfig; without any the chart has no text.
    /// </summary>
    public static bool HasFonts => SkiaSharp.SKFontManager.Default.FontFamilyCount > 0;

    /// <summary>Orders/s are counted over this much of the run before each point.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    public static byte[] RenderPng(IReadOnlyList<ChartSample> samples, double timeFactor)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var plot = new Plot();
        var seconds = samples.Select(s => s.At.TotalSeconds).ToArray();

        var rates = OrdersPerSecond(samples);
        var rate = plot.Add.Scatter(seconds, rates);
        rate.LegendText = "orders produced per second";
        rate.Color = OrdersColor;
        rate.LineWidth = 2;
        rate.MarkerSize = 0;

        if (samples.Any(s => s.Backlog is not null))
        {
            var backlog = plot.Add.Scatter(seconds, samples.Select(s => (double)(s.Backlog ?? 0)).ToArray());
            backlog.LegendText = "RocketMQ backlog (ready + in flight)";
            backlog.Color = BacklogColor;
            backlog.LineWidth = 2;
            backlog.LinePattern = LinePattern.Dashed;
            backlog.MarkerSize = 0;
        }

        Steps(plot, seconds, samples.Select(s => (double)s.Service.Ready).ToArray(), "order-service instances ready (Knative KPA)", ServiceColor, wanted: false);
        Steps(plot, seconds, samples.Select(s => (double)s.Service.Wanted).ToArray(), "  wanted by the autoscaler", ServiceColor, wanted: true);
        Steps(plot, seconds, samples.Select(s => (double)s.Adapters.Ready).ToArray(), "adapter replicas consuming (KEDA)", AdaptersColor, wanted: false);
        Steps(plot, seconds, samples.Select(s => (double)s.Adapters.Wanted).ToArray(), "  wanted by the autoscaler", AdaptersColor, wanted: true);

        var most = samples.Count == 0 ? 1 : samples.Max(s => Math.Max(Math.Max(s.Service.Ready, s.Service.Wanted), Math.Max(s.Adapters.Ready, s.Adapters.Wanted)));
        plot.Axes.Right.Label.Text = "instances / replicas";
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Axes.SetLimitsY(0, most + 1, plot.Axes.Right);
        plot.Axes.Left.Label.Text = "orders/s, messages";
        var highest = rates.Concat(samples.Select(s => (double)(s.Backlog ?? 0))).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(10, highest * 1.1), plot.Axes.Left);
        plot.Axes.Bottom.Label.Text = string.Create(CultureInfo.InvariantCulture, $"seconds of the run (1 s here = {timeFactor:0.#} s of the emulated cluster's day)");
        plot.Title("Food delivery, a compressed day: the order service and the RocketMQSource adapters scale 0 → N → 0");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Writes the chart; returns the absolute path written.</summary>
    public static string Save(string path, IReadOnlyList<ChartSample> samples, double timeFactor)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, RenderPng(samples, timeFactor));
        return full;
    }

    /// <summary>Orders stored in the second before each sample.</summary>
    public static double[] OrdersPerSecond(IReadOnlyList<ChartSample> samples)
    {
        var rates = new double[samples.Count];
        var start = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            while (samples[i].At - samples[start].At > RateWindow)
            {
                start++;
            }

            var span = (samples[i].At - samples[start].At).TotalSeconds;
            rates[i] = span > 0 ? (samples[i].Produced - samples[start].Produced) / span : 0;
        }

        return rates;
    }

    /// <summary>A count over time as steps on the right axis: ready thick, wanted thin and dotted.</summary>
    private static void Steps(Plot plot, double[] seconds, double[] counts, string legend, Color color, bool wanted)
    {
        var steps = plot.Add.Scatter(seconds, counts);
        steps.ConnectStyle = ConnectStyle.StepHorizontal;
        steps.Axes.YAxis = plot.Axes.Right;
        steps.LegendText = legend;
        steps.Color = color;
        steps.LineWidth = wanted ? 1.5f : 3;
        steps.LinePattern = wanted ? LinePattern.Dotted : LinePattern.Solid;
        steps.MarkerSize = 0;
    }
}
