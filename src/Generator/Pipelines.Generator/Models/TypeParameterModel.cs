namespace Pipelines.Generator.Models;

/// <summary>A method type parameter, repeated on the stubs and the call class.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> where it is a keyword.</param>
/// <param name="Constraints">What follows <c>where T :</c>, fully qualified; null when unconstrained.</param>
internal sealed record TypeParameterModel(string Name, string? Constraints);
