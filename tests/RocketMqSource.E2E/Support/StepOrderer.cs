using Xunit.Abstractions;
using Xunit.Sdk;

namespace RocketMqSource.E2E.Support;

/// <summary>The place of a test in its class's walkthrough (lower runs first).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>
/// Runs a class's tests in <see cref="StepAttribute"/> order: the walkthrough's steps share one
/// cluster, and the last one deletes everything.
/// </summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "RocketMqSource.E2E.Support.StepOrderer";
    public const string AssemblyName = "RocketMqSource.E2E";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(c => Order(c)).ThenBy(c => c.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int Order(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
            .Select(a => a.GetNamedArgument<int>(nameof(StepAttribute.Order)))
            .DefaultIfEmpty(int.MaxValue)
            .First();
}
