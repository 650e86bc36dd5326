using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.Fees;

/// <summary>Issues fee claims: one per active membership and year, by the network's fee schedule.</summary>
public static class FeeClaims
{
    private sealed class MembershipRow
    {
        public Guid Id { get; init; }
        public Guid OrganizationId { get; init; }
        public string OrganizationName { get; init; } = "";
        public string OrganizationKind { get; init; } = "";
        public string NetworkSlug { get; init; } = "";
        public DateOnly Since { get; init; }
        public DateOnly? Until { get; init; }
        public long AnnualFeeCents { get; init; }
    }

    /// <summary>
    /// The years a membership owes a fee for, as seen today: from the year it became active to the
    /// current year (or its last year, if it ended). None while it has not started yet.
    /// </summary>
    public static IEnumerable<int> YearsOwed(DateOnly since, DateOnly? until, DateOnly today)
    {
        var last = until is { } end && end.Year < today.Year ? end.Year : today.Year;
        for (var year = since.Year; year <= last; year++)
        {
            yield return year;
        }
    }

    /// <summary>
    /// Claims the year's fee of every active membership (of one network, or all) that has none yet and
    /// whose kind pays a fee. Returns how many claims were issued.
    /// </summary>
    public static async Task<int> IssueMissingAsync(WriteTransaction tx, int year, string? networkSlug = null, Guid? membershipId = null)
    {
        const string sql = """
            SELECT m.membership_id AS Id, m.organization_id AS OrganizationId, m.organization_name AS OrganizationName,
                   m.organization_kind AS OrganizationKind, m.network_slug AS NetworkSlug, m.since AS Since, m.until AS Until,
                   f.annual_fee_cents AS AnnualFeeCents
            FROM network_members m
            JOIN fee_schedules f ON f.network_slug = m.network_slug AND f.organization_kind = m.organization_kind
            WHERE m.status = 'active' AND m.since IS NOT NULL AND f.annual_fee_cents > 0
              AND (@allNetworks = 1 OR m.network_slug = @networkSlug)
              AND (@allMemberships = 1 OR m.membership_id = @membershipId)
              AND NOT EXISTS (SELECT 1 FROM fee_claims c WHERE c.membership_id = m.membership_id AND c.year = @year)
            ORDER BY m.membership_id
            """;
        // Typed, non-null parameters with flags: PostgreSQL cannot infer the type of a bare NULL parameter.
        var due = await tx.QueryAsync<MembershipRow>(sql, new
        {
            year,
            allNetworks = networkSlug is null ? 1 : 0,
            networkSlug = networkSlug ?? "",
            allMemberships = membershipId is null ? 1 : 0,
            membershipId = membershipId ?? Guid.Empty,
        });
        var issued = 0;
        foreach (var m in due)
        {
            if (MembershipFee.ForYear(m.AnnualFeeCents, m.Since, m.Until, year) is not { } period)
            {
                continue;
            }
            issued += await tx.ExecuteAsync(
                """
                INSERT INTO fee_claims (id, membership_id, organization_id, organization_name, organization_kind, network_slug, year,
                                        period_from, period_to, annual_fee_cents, amount_cents, created_at)
                VALUES (@claimId, @membershipId, @OrganizationId, @OrganizationName, @OrganizationKind, @NetworkSlug, @year,
                        @from, @to, @AnnualFeeCents, @amount, @now)
                ON CONFLICT (membership_id, year) DO NOTHING
                """,
                new { claimId = Guid.NewGuid(), membershipId = m.Id, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.NetworkSlug, year, from = period.From, to = period.To, m.AnnualFeeCents, amount = period.AmountCents, now = tx.Now });
        }
        return issued;
    }
}
