namespace EmsAchse.Portal.Components.Pages.Console.Applications;

/// <summary>The inbox's decision buttons send "approve:{id}" or "reject:{id}"; anything else decides nothing.</summary>
public static class ApplicationChoice
{
    /// <summary>As members allows for a decision's reason.</summary>
    public const int MaxReasonLength = 1000;

    public static (Guid Application, bool Approve)? Read(string? choice)
    {
        var parts = choice?.Split(':', 2);
        if (parts is not [var verb, var id] || !Guid.TryParse(id, out var application))
        {
            return null;
        }
        return verb switch
        {
            "approve" => (application, true),
            "reject" => (application, false),
            _ => null,
        };
    }
}
