using System.Diagnostics;
using FoodDelivery.LocalRun.Reporting;
using SkiaSharp;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>
/// The run's chart is drawn by ScottPlot on SkiaSharp's native library as the repository ships it
/// (SkiaSharp.NativeAssets.Linux.NoDependencies), so it renders on a bare Debian machine: these
/// tests decode the PNG it writes and look for its series and its labels.
/// </summary>
public sealed class ScalingChartTests
{
    private static IReadOnlyList<ChartSample> ADay()
    {
        var samples = new List<ChartSample>();
        long produced = 0;
        for (var i = 0; i <= 160; i++)
        {
            var at = TimeSpan.FromMilliseconds(250 * i);
            var lunch = i is > 40 and < 100;
            produced += lunch ? 20 : 0;
            samples.Add(new ChartSample(at, produced, lunch ? 60 - Math.Abs(70 - i) : 0,
                new Replicas(i is > 45 and < 140 ? 3 : 0, i is > 42 and < 138 ? 3 : 0),
                new Replicas(i is > 44 and < 110 ? 2 : 0, i is > 41 and < 108 ? 2 : 0)));
        }

        return samples;
    }

    private static int Count(SKBitmap bitmap, SKColor color, SKRectI? area = null)
    {
        var region = area ?? new SKRectI(0, 0, bitmap.Width, bitmap.Height);
        var count = 0;
        for (var y = region.Top; y < region.Bottom; y++)
        {
            for (var x = region.Left; x < region.Right; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (Math.Abs(pixel.Red - color.Red) + Math.Abs(pixel.Green - color.Green) + Math.Abs(pixel.Blue - color.Blue) < 30)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static SKColor Skia(ScottPlot.Color color) => new(color.R, color.G, color.B);

    [Fact]
    public void The_png_shows_orders_backlog_instances_and_replicas()
    {
        using var bitmap = SKBitmap.Decode(ScalingChart.RenderPng(ADay(), 10));

        Assert.Equal(ScalingChart.Width, bitmap.Width);
        Assert.Equal(ScalingChart.Height, bitmap.Height);
        Assert.True(Count(bitmap, Skia(ScalingChart.OrdersColor)) > 300, "orders/s line");
        Assert.True(Count(bitmap, Skia(ScalingChart.BacklogColor)) > 200, "backlog line");
        Assert.True(Count(bitmap, Skia(ScalingChart.ServiceColor)) > 500, "order-service steps");
        Assert.True(Count(bitmap, Skia(ScalingChart.AdaptersColor)) > 500, "adapter steps");
    }

    [Fact]
    public void Its_title_and_labels_are_drawn_with_a_font_found_on_this_machine()
    {
        using var bitmap = SKBitmap.Decode(ScalingChart.RenderPng(ADay(), 10));

        // The title: dark text on white across the top of the chart (a machine without a usable font draws none).
        var title = new SKRectI(150, 0, ScalingChart.Width - 150, 35);
        Assert.True(Count(bitmap, SKColors.Black, title) > 300, "title text");
        Assert.True(ScalingChart.HasFonts, "a font for the labels");
    }

    [Fact]
    public void Orders_per_second_are_counted_over_the_second_before_each_point()
    {
        var samples = ADay();

        var rates = ScalingChart.OrdersPerSecond(samples);

        Assert.Equal(0, rates[40]);
        Assert.Equal(80, rates[60], 6);
        Assert.Equal(0, rates[160]);
    }

    [Fact]
    public void The_native_library_it_draws_with_needs_only_the_c_library()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libSkiaSharp.so");
        Assert.True(File.Exists(library), library);

        var info = new ProcessStartInfo("ldd", [library]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var ldd = Process.Start(info)!;
        var needed = ldd.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        ldd.WaitForExit();

        Assert.All(needed, line => Assert.Matches("^(linux-vdso|libpthread|libdl|libm|libc|/lib64/ld-linux)", line));
    }
}
