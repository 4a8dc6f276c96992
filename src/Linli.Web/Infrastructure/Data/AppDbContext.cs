using System.Linq.Expressions;
using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Linli.Web.Infrastructure.Data;

/// <summary>
/// The one model of Linli. Provider subclasses (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>)
/// only exist so that each provider has its own migration set; they add nothing to the model.
/// </summary>
public abstract class AppDbContext(DbContextOptions options, TenantScope scope)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Division> Divisions => Set<Division>();
    public DbSet<Community> Communities => Set<Community>();
    public DbSet<Estate> Estates => Set<Estate>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Entrance> Entrances => Set<Entrance>();
    public DbSet<Home> Homes => Set<Home>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<GridArea> GridAreas => Set<GridArea>();
    public DbSet<GridMember> GridMembers => Set<GridMember>();
    public DbSet<UserScope> UserScopes => Set<UserScope>();
    public DbSet<Resident> Residents => Set<Resident>();
    public DbSet<Residence> Residences => Set<Residence>();
    public DbSet<ResidentTag> ResidentTags => Set<ResidentTag>();
    public DbSet<SurveyVisit> SurveyVisits => Set<SurveyVisit>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Features.Partners.PartnerUnit> PartnerUnits => Set<Features.Partners.PartnerUnit>();
    public DbSet<Features.Teams.Team> Teams => Set<Features.Teams.Team>();
    public DbSet<Features.WorkOrders.WorkOrderCategory> WorkOrderCategories => Set<Features.WorkOrders.WorkOrderCategory>();
    public DbSet<Features.WorkOrders.WorkOrder> WorkOrders => Set<Features.WorkOrders.WorkOrder>();
    public DbSet<Features.WorkOrders.WorkOrderEvent> WorkOrderEvents => Set<Features.WorkOrders.WorkOrderEvent>();
    public DbSet<Features.WorkOrders.WorkOrderPhoto> WorkOrderPhotos => Set<Features.WorkOrders.WorkOrderPhoto>();
    public DbSet<Features.WorkOrders.WorkOrderMetricsCell> WorkOrderMetricsCells => Set<Features.WorkOrders.WorkOrderMetricsCell>();
    public DbSet<Features.WorkOrders.WorkOrderMetricsMonth> WorkOrderMetricsMonths => Set<Features.WorkOrders.WorkOrderMetricsMonth>();
    public DbSet<Features.WorkOrders.WorkOrderMetricsChange> WorkOrderMetricsChanges => Set<Features.WorkOrders.WorkOrderMetricsChange>();
    public DbSet<Features.Calendar.CalendarDay> CalendarDays => Set<Features.Calendar.CalendarDay>();
    public DbSet<Features.WorkOrders.RoutingRule> RoutingRules => Set<Features.WorkOrders.RoutingRule>();
    public DbSet<Features.WorkOrders.OnCallDuty> OnCallDuties => Set<Features.WorkOrders.OnCallDuty>();
    public DbSet<Features.Notifications.Notification> Notifications => Set<Features.Notifications.Notification>();
    public DbSet<Features.Inspections.InspectionWalk> InspectionWalks => Set<Features.Inspections.InspectionWalk>();
    public DbSet<Features.Inspections.InspectionBuilding> InspectionBuildings => Set<Features.Inspections.InspectionBuilding>();
    public DbSet<Features.Inspections.InspectionProblem> InspectionProblems => Set<Features.Inspections.InspectionProblem>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public TenantScope Scope => scope;

    // Read by the query filters; EF evaluates them per query, so each request sees its own scope.
    private bool SeesAllCommunities => scope.SeesAll;
    private IReadOnlyList<Guid> VisibleCommunityIds => scope.CommunityIds;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored in UTC; SQLite hands them back unspecified, Npgsql refuses non-UTC values.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        builder.Entity<AppUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(50);
            b.HasMany(u => u.Scopes).WithOne().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<UserScope>(b =>
        {
            b.Property(s => s.SubdistrictCode).HasMaxLength(9).IsUnicode(false);
            b.HasIndex(s => new { s.UserId, s.Kind, s.TargetId, s.SubdistrictCode }).IsUnique();
            b.HasIndex(s => s.CommunityId);
        });
        builder.Entity<AuditEntry>(b =>
        {
            b.Property(a => a.UserName).HasMaxLength(32);
            b.Property(a => a.Event).HasMaxLength(64).IsUnicode(false);
            b.Property(a => a.ObjectType).HasMaxLength(64).IsUnicode(false);
            b.Property(a => a.ObjectId).HasMaxLength(64);
            b.Property(a => a.Detail).HasMaxLength(500);
            b.Property(a => a.Ip).HasMaxLength(45).IsUnicode(false);
            b.HasIndex(a => a.At);
            b.HasIndex(a => new { a.UserId, a.At });
            b.HasIndex(a => new { a.Event, a.At });
        });

        // Our entities make their own ids (Guid v7, ordered) when they are constructed. Telling EF so makes a child
        // added to a tracked parent's collection (a grid's new area) an INSERT, not an UPDATE of a row that isn't there.
        foreach (var type in builder.Model.GetEntityTypes().Where(t => t.ClrType != typeof(AppUser) && t.ClrType != typeof(AppRole)
                     && t.ClrType.Namespace?.StartsWith("Linli.Web", StringComparison.Ordinal) == true))
        {
            if (type.FindPrimaryKey()?.Properties is [{ ClrType: var keyType } key] && keyType == typeof(Guid)) builder.Entity(type.ClrType).Property(key.Name).ValueGeneratedNever();
        }

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(ICommunityOwned).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(type.ClrType).HasQueryFilter(Filter(nameof(FilterFor), type.ClrType));
        }
        // The tenant itself: a user sees the communities of the scope.
        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(ITenant).IsAssignableFrom(t.ClrType)).ToList())
        {
            builder.Entity(type.ClrType).HasQueryFilter(Filter(nameof(TenantFilterFor), type.ClrType));
        }
    }

    private LambdaExpression Filter(string factory, Type type)
    {
        var method = typeof(AppDbContext).GetMethod(factory, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        return (LambdaExpression)method.MakeGenericMethod(type).Invoke(this, null)!;
    }

    private Expression<Func<T, bool>> FilterFor<T>() where T : ICommunityOwned =>
        e => SeesAllCommunities || VisibleCommunityIds.Contains(e.CommunityId);

    private Expression<Func<T, bool>> TenantFilterFor<T>() where T : ITenant =>
        e => SeesAllCommunities || VisibleCommunityIds.Contains(e.Id);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.Classify(e) == DbRefusal.Unique)
        {
            // Two people saved the same thing at once (the check before saving passed for both): a clear 409, not a 500.
            throw new Errors.DomainException("error.duplicate");
        }
    }

    /// <summary>At most this many changed rows go through <see cref="SaveChangesInOneBatchAsync"/> without BEGIN/COMMIT.</summary>
    public const int OneBatchMaxRows = 50;

    /// <summary>
    /// A small save on a hot path (a resident's report), atomic in one round trip on PostgreSQL: EF sends the rows as one
    /// batch, which Npgsql ends with a single Sync, and PostgreSQL runs everything up to a Sync as one implicit
    /// transaction — an error in any statement rolls back every statement of the batch (Npgsql: "any exception in a
    /// command causes later commands in the batch to be skipped, and earlier commands to be rolled back"). So the explicit
    /// BEGIN … COMMIT, and the COMMIT's extra round trip, add nothing. Anything else (SQLite, which runs the statements one
    /// by one; a transaction already open; more rows than fit one small batch) is an ordinary <see cref="SaveChangesAsync(bool, CancellationToken)"/>.
    /// </summary>
    public async Task<int> SaveChangesInOneBatchAsync(CancellationToken ct = default)
    {
        if (Database.ProviderName != "Npgsql.EntityFrameworkCore.PostgreSQL" || Database.CurrentTransaction is not null
            || ChangeTracker.Entries().Count(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) > OneBatchMaxRows)
            return await SaveChangesAsync(ct);
        var before = Database.AutoTransactionBehavior;
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await SaveChangesAsync(ct);
        }
        finally
        {
            Database.AutoTransactionBehavior = before;
        }
    }

    private void GuardAppendOnly()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("The audit log is append-only.");
        foreach (var entry in ChangeTracker.Entries<ICommunityOwned>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            if (!scope.CanSee(entry.Entity.CommunityId))
                throw new InvalidOperationException("A write outside the caller's tenant scope was refused.");
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, TenantScope scope) : AppDbContext(options, scope);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, TenantScope scope) : AppDbContext(options, scope);
