using EmsAchse.Identity.Hosting;

namespace EmsAchse.Identity.Authority;

/// <summary>Admins register integrators' systems for the client credentials grant (beside the gateway's API keys).</summary>
public static class ClientsApi
{
    public static void MapClientsApi(this IEndpointRouteBuilder endpoints)
    {
        var clients = endpoints.MapGroup("/api/clients").RequireAuthorization(ApiPolicies.Admin);

        clients.MapPost("/", async (NewIntegratorClient body, ClientRegistrations registrations, CancellationToken cancellationToken) =>
        {
            var name = body.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A name of 1 to 200 characters is required."] });
            }
            var created = await registrations.CreateIntegratorAsync(name, cancellationToken);
            return Results.Created($"/identity/api/clients/{created.ClientId}", created);
        });

        clients.MapGet("/", async (ClientRegistrations registrations, CancellationToken cancellationToken) =>
            Results.Ok(await registrations.ListIntegratorsAsync(cancellationToken)));

        clients.MapDelete("/{clientId}", async (string clientId, ClientRegistrations registrations, CancellationToken cancellationToken) =>
            await registrations.DeleteIntegratorAsync(clientId, cancellationToken)
                ? Results.NoContent()
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such integrator client.", detail: $"No integrator client '{clientId}'."));
    }
}

public sealed record NewIntegratorClient(string? Name);
