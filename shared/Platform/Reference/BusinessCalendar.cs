namespace EmsAchse.Platform.Reference;

/// <summary>Business dates ("today", a year's first day) are taken in Europe/Berlin.</summary>
public static class BusinessCalendar
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Berlin).DateTime);
}
