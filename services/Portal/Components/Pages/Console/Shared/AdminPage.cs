using EmsAchse.Portal.Services.Console;
using Microsoft.AspNetCore.Components;

namespace EmsAchse.Portal.Components.Pages.Console.Shared;

/// <summary>
/// What the fee, report and admin pages share: never cached, and the API's own refusals become the console's
/// answers (403 the "not allowed" page, 404 the German not-found page), so the services decide who may see what.
/// </summary>
public abstract class AdminPage : PortalPage
{
    public const string ForbiddenPath = "/verwaltung/kein-zugriff";

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    protected override void OnInitialized() => DoNotCache();

    /// <summary>Answers a refusal that leaves nothing to show; true if the page should stop rendering its content.</summary>
    protected bool ConsoleRefusal(ApiProblem problem)
    {
        if (problem.IsForbidden)
        {
            Navigation.NavigateTo(ForbiddenPath);
            return true;
        }
        if (problem.IsNotFound)
        {
            Navigation.NotFound();
            return true;
        }
        return false;
    }

    /// <summary>The business year (Europe/Berlin, as the services count it).</summary>
    protected static int ThisYear => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).Year;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
}
