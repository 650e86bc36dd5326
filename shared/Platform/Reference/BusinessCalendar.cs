namespace EmsAchse.Platform.Reference;

/// <summary>Business dates ("today", a year's first day) are taken in Europe/Berlin.</summary>
public static class BusinessCalendar
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The business date of an instant: the day it is in Berlin then.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Berlin).DateTime);
}
