using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EmsAchse.Platform.Hosting;

/// <summary>
/// The OpenAPI document of a service: its title, and the problem answers every operation can give, declared once
/// here rather than on each endpoint.
/// </summary>
public static class ApiDocument
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>The document at /openapi/v1.json, titled for integrators ("Ems-Achse Networks API").</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services, string title, string description) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = title;
            document.Info.Description = description;
            return Task.CompletedTask;
        }));

    /// <summary>
    /// Endpoints mapped under the returned group declare the problems the pipeline gives, not the handler: 401/403
    /// where a policy applies, 413 where a body is read; and a problem a handler returns is <c>application/problem+json</c>.
    /// </summary>
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("");
        // Finally: runs after the endpoint's own conventions, so RequireAuthorization and AllowAnonymous are known.
        ((IEndpointConventionBuilder)group).Finally(DeclarePipelineProblems);
        return group;
    }

    private static void DeclarePipelineProblems(EndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        for (var i = 0; i < metadata.Count; i++)
        {
            // NotFound<ProblemDetails> and the like declare application/json; what goes out is problem+json.
            if (metadata[i] is IProducesResponseTypeMetadata { StatusCode: >= 400, Type: { } type } produced
                && typeof(ProblemDetails).IsAssignableFrom(type)
                && !produced.ContentTypes.Contains(ProblemJson))
            {
                metadata[i] = new ProducesResponseTypeMetadata(produced.StatusCode, type, [ProblemJson]);
            }
        }
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (secured)
        {
            Declare(metadata, StatusCodes.Status401Unauthorized);
            Declare(metadata, StatusCodes.Status403Forbidden);
        }
        if (metadata.OfType<IAcceptsMetadata>().Any())
        {
            Declare(metadata, StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static void Declare(IList<object> metadata, int status)
    {
        if (!metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
        {
            metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemJson]));
        }
    }
}

/// <summary>
/// A problem answer that names its status in the endpoint's metadata (so the API document lists it) and is written
/// like <see cref="TypedResults.Problem(ProblemDetails)"/>: through the problem details service, which adds the
/// instance and the correlation id.
/// </summary>
public abstract class StatusProblem : IResult, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>, IValueHttpResult
{
    private readonly int status;

    protected StatusProblem(int status, string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions)
    {
        this.status = status;
        Value = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? [])
        {
            Value.Extensions[key] = value;
        }
    }

    public ProblemDetails Value { get; }

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);

    protected static void Declare(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [ProblemJson]));

    private const string ProblemJson = "application/problem+json";
}

/// <summary>404: the thing named in the path does not exist.</summary>
public sealed class NotFoundProblem(string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : StatusProblem(StatusCodes.Status404NotFound, title, detail, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>403: signed in with a role that may do this, but not for this network or organisation.</summary>
public sealed class ForbiddenProblem(string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : StatusProblem(StatusCodes.Status403Forbidden, title, detail, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status403Forbidden);
}

/// <summary>409: a business rule refuses the change; the detail names the rule and the figures.</summary>
public sealed class ConflictProblem(string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : StatusProblem(StatusCodes.Status409Conflict, title, detail, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>422: the request is well formed but names something that does not exist (a site, a funder).</summary>
public sealed class UnprocessableProblem(string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : StatusProblem(StatusCodes.Status422UnprocessableEntity, title, detail, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>401 given by a handler: an anonymous caller asks for what needs a sign-in on an otherwise public operation.</summary>
public sealed class UnauthorizedProblem(string title, string? detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : StatusProblem(StatusCodes.Status401Unauthorized, title, detail, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status401Unauthorized);
}
