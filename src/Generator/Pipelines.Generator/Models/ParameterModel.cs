namespace Pipelines.Generator.Models;

/// <summary>One parameter of a [Submittable] method, as text.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> where it is a keyword.</param>
/// <param name="Type">Fully qualified, with nullable annotations.</param>
/// <param name="DefaultValue">The default as a C# expression of <paramref name="Type"/>, or null when the parameter is required.</param>
/// <param name="Documentation">The inner XML of its <c>&lt;param&gt;</c> tag, or null.</param>
/// <param name="TypeOfType"><paramref name="Type"/> without nullable reference annotations, as <c>typeof</c> needs it.</param>
internal sealed record ParameterModel(string Name, string Type, ParameterKind Kind, string? DefaultValue, string? Documentation, string TypeOfType)
{
    public bool IsOptional => DefaultValue is not null;

    public bool IsInStub => Kind != ParameterKind.CancellationToken;
}
