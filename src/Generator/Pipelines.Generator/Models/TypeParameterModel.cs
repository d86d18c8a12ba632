namespace Pipelines.Generator.Models;

/// <summary>A method type parameter and its <c>where</c> clause (null when unconstrained).</summary>
internal sealed record TypeParameterModel(string Name, string? Constraints);
