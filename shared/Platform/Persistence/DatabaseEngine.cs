namespace EmsAchse.Platform.Persistence;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
