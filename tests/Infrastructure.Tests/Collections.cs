using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.Infrastructure.Tests;

/// <summary>Tests in this collection share one RabbitMQ broker.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqServer>
{
    public const string Name = "RabbitMQ";
}

/// <summary>Tests in this collection share one PostgreSQL server (a fresh database each).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
