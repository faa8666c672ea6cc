using System.Globalization;
using System.Text.RegularExpressions;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>
/// The local run's story, as a user runs it: the order service (Knative's rules) and the
/// adapters (KEDA's rules) start at zero, scale out with the orders and are back at zero at the
/// end, with every order delivered. Outcomes are asserted, not timings: on a loaded machine the
/// processes start slower, which only makes the backlog that drives the scaling larger.
/// </summary>
public sealed partial class LocalRunScalingTests
{
    [Fact]
    public async Task A_short_day_scales_the_service_and_the_adapters_from_zero_to_at_least_two_and_back_with_no_order_lost()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"local-run-scaling-{Guid.NewGuid():N}.png");
        try
        {
            // The short day (clock x30) at a higher peak; a low lag threshold makes the first cold start's backlog ask for more adapters.
            var (exitCode, output) = await LocalRunProcess.RunAsync("--short", "--seed", "21", "--peak-rate", "150", "--lag-threshold", "5", "--chart", chart);

            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
            var produced = LocalRunProcess.Count(output, "orders produced");
            Assert.True(produced > 0, output);
            Assert.Equal(produced, LocalRunProcess.Count(output, "delivered (unique)"));
            Assert.Equal(0, LocalRunProcess.Count(output, "lost"));

            foreach (var component in new[] { "order service", "adapters" })
            {
                var cycles = Cycles(output, component);
                Assert.True(cycles.Count > 0, $"{component} never scaled from zero:\n{output}");
                Assert.True(cycles.Max(c => c.Peak) >= 2, $"{component} never reached 2:\n{output}");
                Assert.True(cycles.All(c => c.BackToZero), $"{component} not back at zero:\n{output}");
            }

            // Each change was made by the emulated autoscaler, and every stop was a SIGTERM the process drained on.
            Assert.Matches(ScaleLine("order service", "KPA"), output);
            Assert.Matches(ScaleLine("adapters", "KEDA"), output);
            Assert.Matches(ScaleLine("adapters", "HPA"), output);
            Assert.Matches(new Regex(@"^ +[0-9]+s \w+ +produced .* service [0-9]+/[0-9]+ +adapters [0-9]+/[0-9]+$", RegexOptions.Multiline), output);
            Assert.Contains("  cold-start wait", output, StringComparison.Ordinal);
            Assert.Contains($"chart         {chart}", output, StringComparison.Ordinal);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(chart).Take(4));
        }
        finally
        {
            File.Delete(chart);
        }
    }

    private static Regex ScaleLine(string component, string by) =>
        new($@"^scale +[0-9.]+s {Regex.Escape(component)} +[0-9]+ -> [0-9]+  \({by}", RegexOptions.Multiline);

    /// <summary>The summary's cycle lines of one component: "0 -> 1 at 2.4 s, ...; peak 4 at 2.5 s; back to 0 at 19.2 s".</summary>
    private static List<(int Peak, bool BackToZero)> Cycles(string output, string component)
    {
        var section = output[output.IndexOf("\nscaling (", StringComparison.Ordinal)..];
        var lines = section.Split('\n').SkipWhile(l => !l.StartsWith($"  {component} ", StringComparison.Ordinal)).ToList();
        var own = lines.Take(1).Concat(lines.Skip(1).TakeWhile(l => l.StartsWith("                  0 ->", StringComparison.Ordinal)));
        return own.Select(l => CycleLine().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups["peak"].Value, CultureInfo.InvariantCulture), m.Groups["end"].Value.StartsWith("back to 0", StringComparison.Ordinal)))
            .ToList();
    }

    [GeneratedRegex(@"0 -> [0-9]+ at [0-9.]+ s, .*; peak (?<peak>[0-9]+) at [0-9.]+ s; (?<end>.*)$")]
    private static partial Regex CycleLine();
}
