using System.Globalization;
using ScottPlot;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>One point of the run for the chart: orders stored so far, the backlog (ready + in flight), and each component's ready and wanted instances.</summary>
internal sealed record ChartSample(TimeSpan At, long Produced, long? Backlog, Replicas Service, Replicas Adapters);

/// <summary>
/// The run's chart (ScottPlot, PNG), three panels over the seconds of the run: orders produced
/// per second and the RocketMQ backlog; order-service instances; adapter replicas (ready and
/// wanted). Pure: samples in, PNG bytes out.
/// </summary>
internal static class ScalingChart
{
    public const int Width = 1200;
    public const int Height = 760;

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
        var seconds = samples.Select(s => s.At.TotalSeconds).ToArray();
        var orders = new Plot();
        var service = new Plot();
        var adapters = new Plot();

        var rates = OrdersPerSecond(samples);
        Line(orders, seconds, rates, "orders produced per second", OrdersColor, LinePattern.Solid);
        if (samples.Any(s => s.Backlog is not null))
        {
            Line(orders, seconds, samples.Select(s => (double)(s.Backlog ?? 0)).ToArray(), "RocketMQ backlog (ready + in flight)", BacklogColor, LinePattern.Dashed);
        }

        var highest = rates.Concat(samples.Select(s => (double)(s.Backlog ?? 0))).DefaultIfEmpty(0).Max();
        orders.Axes.SetLimitsY(0, Math.Max(10, highest * 1.15));
        orders.Axes.Left.Label.Text = "orders/s, messages";
        orders.Title("Food delivery, a compressed day: the order service and the RocketMQSource adapters scale 0 → N → 0");

        Steps(service, seconds, samples.Select(s => (double)s.Service.Ready).ToArray(), "order-service instances ready (Knative KPA rules)", ServiceColor, wanted: false);
        Steps(service, seconds, samples.Select(s => (double)s.Service.Wanted).ToArray(), "wanted by the autoscaler", ServiceColor, wanted: true);
        service.Axes.Left.Label.Text = "instances";
        CountAxis(service, samples.Select(s => s.Service));

        Steps(adapters, seconds, samples.Select(s => (double)s.Adapters.Ready).ToArray(), "adapter replicas consuming (KEDA + HPA rules)", AdaptersColor, wanted: false);
        Steps(adapters, seconds, samples.Select(s => (double)s.Adapters.Wanted).ToArray(), "wanted by the autoscaler", AdaptersColor, wanted: true);
        adapters.Axes.Left.Label.Text = "replicas";
        CountAxis(adapters, samples.Select(s => s.Adapters));
        adapters.Axes.Bottom.Label.Text = string.Create(CultureInfo.InvariantCulture,
            $"seconds of the run (1 s here = {timeFactor:0.#} s of the emulated cluster's day)");

        var multiplot = new Multiplot(orders);
        multiplot.AddPlot(service);
        multiplot.AddPlot(adapters);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        multiplot.SharedAxes.ShareX([orders, service, adapters]);
        var end = seconds.DefaultIfEmpty(1).Max();
        foreach (var plot in new[] { orders, service, adapters })
        {
            // One data area for the three, so their seconds line up.
            plot.Layout.Fixed(new PixelPadding(80, 20, plot == adapters ? 50 : 25, plot == orders ? 40 : 10));
            plot.Axes.SetLimitsX(0, end);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        return multiplot.Render(Width, Height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Writes the chart; returns the absolute path written.</summary>
    public static string Save(string path, IReadOnlyList<ChartSample> samples, double timeFactor)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Written aside and moved in: two runs at once never leave a half-written chart.
        var aside = $"{full}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(aside, RenderPng(samples, timeFactor));
        File.Move(aside, full, overwrite: true);
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

    private static void Line(Plot plot, double[] seconds, double[] values, string legend, Color color, LinePattern pattern)
    {
        var line = plot.Add.Scatter(seconds, values);
        line.LegendText = legend;
        line.Color = color;
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.MarkerSize = 0;
    }

    /// <summary>A count over time as steps, whole numbers on the axis: ready thick, wanted thin and dotted.</summary>
    private static void Steps(Plot plot, double[] seconds, double[] counts, string legend, Color color, bool wanted)
    {
        var steps = plot.Add.Scatter(seconds, counts);
        steps.ConnectStyle = ConnectStyle.StepHorizontal;
        steps.LegendText = legend;
        steps.Color = color;
        steps.LineWidth = wanted ? 1.5f : 3;
        steps.LinePattern = wanted ? LinePattern.Dotted : LinePattern.Solid;
        steps.MarkerSize = 0;
    }

    /// <summary>Whole numbers from 0 to a little above the highest count.</summary>
    private static void CountAxis(Plot plot, IEnumerable<Replicas> counts)
    {
        var most = counts.Select(r => Math.Max(r.Ready, r.Wanted)).DefaultIfEmpty(0).Max();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Axes.SetLimitsY(-0.2, most + 1.2);
    }
}
