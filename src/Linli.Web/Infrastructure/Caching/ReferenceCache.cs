using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Linli.Web.Infrastructure.Caching;

/// <summary>
/// What a community's hot paths read again and again but the office changes rarely — its categories and routing rules,
/// which grid holds which building, a place's names, who works in the office — kept in memory per community.
/// A change saved through this process evicts the community's entries at once (<see cref="ReferenceCacheInterceptor"/>);
/// another process of the same deployment sees it when its entries expire (<c>Cache:ReferenceSeconds</c>, default 30 s).
/// Nothing personal is kept here beyond ids, and nothing a permission check depends on: those are read every time.
/// </summary>
public sealed class ReferenceCache(IMemoryCache cache, IConfiguration config) : IDisposable
{
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(Math.Clamp(config.GetValue("Cache:ReferenceSeconds", 30), 0, 3600));
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _communities = new();
    private CancellationTokenSource _all = new();

    /// <summary>The value under <paramref name="key"/> for the community, loaded (and kept) when missing.</summary>
    public Task<T> GetAsync<T>(Guid communityId, string key, Func<Task<T>> load) => GetAsync(communityId, key, _ttl, load);

    /// <summary>The same, kept for <paramref name="ttl"/> (0 in configuration turns all keeping off, e.g. to measure without it).</summary>
    public async Task<T> GetAsync<T>(Guid communityId, string key, TimeSpan ttl, Func<Task<T>> load)
    {
        var k = new Key(communityId, key);
        if (cache.TryGetValue(k, out T? value)) return value!;
        // The generation is taken before loading: a change saved while loading cancels it, and the stale value is not kept.
        var community = _communities.GetOrAdd(communityId, _ => new CancellationTokenSource());
        var all = _all;
        value = await load();
        if (_ttl > TimeSpan.Zero && !community.IsCancellationRequested && !all.IsCancellationRequested)
        {
            cache.Set(k, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl }
                .AddExpirationToken(new CancellationChangeToken(community.Token))
                .AddExpirationToken(new CancellationChangeToken(all.Token)));
        }
        return value;
    }

    /// <summary>Forgets everything kept for the community.</summary>
    public void Invalidate(Guid communityId)
    {
        if (_communities.TryRemove(communityId, out var cts)) cts.Cancel();
    }

    /// <summary>Forgets everything (a change that is not one community's: accounts, roles, scopes).</summary>
    public void InvalidateAll()
    {
        var old = Interlocked.Exchange(ref _all, new CancellationTokenSource());
        old.Cancel();
        foreach (var id in _communities.Keys) Invalidate(id);
    }

    public void Dispose()
    {
        _all.Dispose();
        foreach (var cts in _communities.Values) cts.Dispose();
    }

    private sealed record Key(Guid Community, string Name);
}

/// <summary>
/// Data that a <see cref="ReferenceCache"/> entry may be built from: a module marks its entity with it, and every save
/// that adds, changes or removes one evicts the community's entries.
/// </summary>
public interface IReferenceData : ICommunityOwned;

/// <summary>
/// Evicts the <see cref="ReferenceCache"/> after a save that changed what it keeps: entities marked
/// <see cref="IReferenceData"/> (their community's entries), or accounts, roles and scopes (everything).
/// </summary>
public sealed class ReferenceCacheInterceptor(ReferenceCache cache) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> GlobalTypes =
    [
        typeof(Auth.AppUser), typeof(Auth.UserScope), typeof(Microsoft.AspNetCore.Identity.IdentityUserRole<Guid>),
    ];

    private readonly ConditionalWeakTable<DbContext, Changed> _pending = new();

    private sealed class Changed
    {
        public readonly HashSet<Guid> Communities = [];
        public bool All;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Evict(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Evict(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Collect(DbContext? context)
    {
        if (context is null) return;
        Changed? changed = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var type = entry.Metadata.ClrType;
            if (GlobalTypes.Contains(type)) (changed ??= new()).All = true;
            else if (entry.Entity is IReferenceData owned) (changed ??= new()).Communities.Add(owned.CommunityId);
        }
        if (changed is not null) _pending.AddOrUpdate(context, changed);
    }

    private void Evict(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var changed)) return;
        _pending.Remove(context);
        if (changed.All) cache.InvalidateAll();
        else foreach (var id in changed.Communities) cache.Invalidate(id);
    }
}
