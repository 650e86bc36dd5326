using System.Text.RegularExpressions;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using EmsAchse.Identity.Hosting;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Accounts;

/// <summary>
/// Admins create accounts for staff and network managers. Until invitations exist, the answer carries a generated
/// one-time password (kept only as a hash) to hand over.
/// </summary>
public static partial class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/api/accounts").RequireAuthorization(ApiPolicies.Admin);

        accounts.MapPost("/", async (NewAccount body, UserManager<Account> users, AuditTrail audit, CancellationToken cancellationToken) =>
        {
            var errors = Validate(body);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }
            var email = body.Email!.Trim();
            var account = new Account { UserName = email, Email = email, EmailConfirmed = true, DisplayName = body.Name!.Trim() };
            var password = InitialAdmin.NewPassword();
            // The account, its rights and their audit entries commit together, or nothing does.
            var created = await audit.InTransactionAsync(async () =>
            {
                var result = await users.CreateAsync(account, password);
                if (!result.Succeeded)
                {
                    return result;
                }
                Check(await users.AddToRolesAsync(account, body.Roles!.Distinct(StringComparer.Ordinal)));
                foreach (var slug in (body.Networks ?? []).Distinct(StringComparer.Ordinal))
                {
                    Check(await users.AddClaimAsync(account, new System.Security.Claims.Claim(PlatformClaims.Network, slug)));
                    audit.Add(account, AuditKinds.RightGained, slug);
                }
                return result;
            }, cancellationToken);
            if (!created.Succeeded)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account was not created.",
                    detail: string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            return Results.Created($"/identity/api/accounts/{account.Id}", new AccountCreated(account.Id, email, password));
        });

        accounts.MapPost("/{id}/invitation", ResendInvitationAsync);
    }

    /// <summary>
    /// A new set-up link for an account that has no password yet; the old links stop working (new security stamp).
    /// </summary>
    private static async Task<IResult> ResendInvitationAsync(
        string id, UserManager<Account> users, Invitations invitations, AuditTrail audit, IOptions<IdentityServiceOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var account = await users.FindByIdAsync(id);
        if (account is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such account.", detail: $"No account '{id}'.");
        }
        if (await users.HasPasswordAsync(account))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is set up already.",
                detail: $"Account '{id}' has a password; its owner can ask for a password reset on the sign-in page instead.");
        }
        var link = await audit.InTransactionAsync(async () =>
        {
            Check(await users.UpdateSecurityStampAsync(account));
            audit.Add(account, AuditKinds.Invited);
            return await invitations.CreateLinkAsync(account);
        }, cancellationToken);
        var network = (await users.GetClaimsAsync(account)).FirstOrDefault(c => c.Type == PlatformClaims.Network)?.Value;
        await invitations.SendAsync(account, link, network, cancellationToken);
        return Results.Ok(new InvitationSent(account.Id, account.Email!, time.GetUtcNow().Add(options.Value.InvitationLifespan)));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private static Dictionary<string, string[]> Validate(NewAccount body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Email) || !body.Email.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = ["An e-mail address is required."];
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }
        if (body.Roles is not { Length: > 0 } || body.Roles.Any(r => !InitialAdmin.PlatformRoles.Contains(r)))
        {
            errors["roles"] = [$"One or more of: {string.Join(", ", InitialAdmin.PlatformRoles)}."];
        }
        if (body.Networks?.Any(n => !Slug().IsMatch(n)) == true)
        {
            errors["networks"] = ["Network slugs: lower-case letters, digits and single hyphens."];
        }
        return errors;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}

public sealed record NewAccount(string? Email, string? Name, string[]? Roles, string[]? Networks);

public sealed record InvitationSent(string AccountId, string Email, DateTimeOffset ValidUntil);

public sealed record AccountCreated(string Id, string Email, string OneTimePassword);
