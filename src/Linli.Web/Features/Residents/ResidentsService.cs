using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents;

public class ResidentInput
{
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public Gender? Gender { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Phone { get; set; }
    public string? EmergencyContactName { get; set; }
    public string? EmergencyContactPhone { get; set; }
    public string? Skills { get; set; }
    public string? Notes { get; set; }
}

public sealed class MoveInput
{
    public Guid HomeId { get; set; }
    public Occupancy Occupancy { get; set; } = Occupancy.Owner;
    public RelationToHead Relation { get; set; } = RelationToHead.Head;
    public DateOnly? From { get; set; }
}

public sealed class TagsInput
{
    public List<TagKind> Kinds { get; set; } = [];
    public List<string> CustomTags { get; set; } = [];
}

/// <summary>What the registry can be searched by; everything optional, combined with AND.</summary>
public sealed class ResidentFilter
{
    /// <summary>Any part of the name.</summary>
    public string? Name { get; set; }
    /// <summary>The last digits of the mobile number.</summary>
    public string? Phone { get; set; }
    /// <summary>An exact ID number (found through the keyed hash).</summary>
    public string? IdNumber { get; set; }
    public Guid? EstateId { get; set; }
    public Guid? BuildingId { get; set; }
    /// <summary>The building's number in any estate of the community ("3" of 3-2-1801), for a home typed as staff say it.</summary>
    public string? BuildingNumber { get; set; }
    public int? Entrance { get; set; }
    public string? HomeNumber { get; set; }
    public TagKind? Tag { get; set; }
    public Guid? GridId { get; set; }
    public int Page { get; set; } = 1;
    public int Size { get; set; } = 20;
}

/// <summary>
/// A resident picked from the registry for a work order: the name, the phone masked (never an ID number), the current
/// home (where an order for them is placed by default) and the portal account linked to them, if any.
/// </summary>
public sealed record ResidentPick(Guid Id, string Name, string? PhoneMasked, Guid? AccountId, PickedHome? Home);

public sealed record PickedHome(Guid HomeId, Guid BuildingId, int EntranceNumber, string Address);

public sealed record ResidentPage(IReadOnlyList<ResidentRow> Rows, int Page, int Size, int Total);

public sealed record ResidenceRow(Guid Id, Guid HomeId, string Address, Occupancy Occupancy, RelationToHead Relation, DateOnly From, DateOnly? To);

public sealed record ResidentRow(Guid Id, string Name, Gender? Gender, int? Age, string? IdNumberMasked, string? PhoneMasked, string? Address, IReadOnlyList<string> Tags);

public sealed record ResidentDetail(Guid Id, string Name, Gender? Gender, DateOnly? BirthDate, int? Age, string? IdNumberMasked, string? PhoneMasked,
    string? EmergencyContactName, string? EmergencyContactPhoneMasked, string? Skills, string? Notes, IReadOnlyList<TagKind> Tags, IReadOnlyList<string> CustomTags,
    IReadOnlyList<string> ComputedTags, IReadOnlyList<ResidenceRow> History);

public sealed record RevealRow(DateTime At, string? UserName, Guid? ResidentId, string ResidentName, string? Reason);

public sealed record HouseholdMember(Guid ResidentId, string Name, Gender? Gender, int? Age, Occupancy Occupancy, RelationToHead Relation, DateOnly Since);

public sealed record Household(Guid HomeId, string Address, IReadOnlyList<HouseholdMember> Members);

/// <summary>
/// The residents registry 台账: residents, where they live (with history), tags, and the protected ID number.
/// Pages and API call this class. Full ID numbers leave it only through <see cref="RevealIdNumberAsync"/>, which
/// requires a reason and writes the audit log.
/// </summary>
public sealed class ResidentsService(AppDbContext db, IFieldCrypto crypto, AuditLog audit, TenantScope scope, IHttpContextAccessor http, Texts t, TimeProvider clock)
{
    /// <summary>Sensitive tags whose consent was withdrawn stay visible to the secretary only (PIPL).</summary>
    private bool SeesWithdrawnTags => scope.SeesAll || http.HttpContext?.User.IsInRole(Infrastructure.Auth.Roles.Secretary) == true;

    public const string RevealEvent = AuditEvents.IdNumberRevealed;

    private DateOnly Today => clock.Today();

    /// <summary>
    /// Residents the caller may see: the tenant filter keeps the community; a grid member without a community-wide
    /// role sees only people living in the buildings and entrances of the own grids.
    /// </summary>
    private IQueryable<Resident> Visible()
    {
        if (!scope.LimitedToGrids) return db.Residents;
        var grids = scope.GridIds;
        var homes = db.Homes.CoveredBy(db.AreasOf(grids), h => h.BuildingId, h => h.EntranceNumber);
        return db.Residents.Where(r => db.Residences.Any(x => x.ResidentId == r.Id && x.To == null && homes.Any(h => h.Id == x.HomeId)));
    }

    public async Task<List<ResidentRow>> ListAsync(Guid communityId, string? name = null, int take = 100, CancellationToken ct = default) =>
        (await SearchAsync(communityId, new ResidentFilter { Name = name, Size = take }, ct)).Rows.ToList();

    public async Task<ResidentPage> SearchAsync(Guid communityId, ResidentFilter f, CancellationToken ct = default)
    {
        var size = Math.Clamp(f.Size, 1, 500);
        var page = Math.Clamp(f.Page, 1, 100_000);
        var q = Visible().AsNoTracking().Where(r => r.CommunityId == communityId);
        if (!string.IsNullOrWhiteSpace(f.Name)) q = q.Where(r => r.Name.Contains(f.Name.Trim()));
        if (!string.IsNullOrWhiteSpace(f.Phone))
        {
            // The last 4 digits or the whole number: other lengths would let masked numbers be guessed digit by digit.
            var tail = f.Phone.Trim();
            if (!(tail.Length == 4 && tail.All(char.IsAsciiDigit)) && !InputValidator.IsMobile(tail))
                throw DomainException.Invalid(nameof(f.Phone), "residents.phone_search_digits");
            // The tail is a column of its own with an index: a suffix LIKE would read every resident of the community.
            var last4 = tail[^4..];
            q = tail.Length == 4 ? q.Where(r => r.PhoneTail == last4) : q.Where(r => r.PhoneTail == last4 && r.Phone == tail);
        }
        if (!string.IsNullOrWhiteSpace(f.IdNumber))
        {
            // Searching by the full number is as good as revealing it: only roles that may reveal, and it is audited.
            var user = http.HttpContext?.User;
            if (!scope.SeesAll && !(user is not null && (user.IsInRole(Infrastructure.Auth.Roles.Staff) || user.IsInRole(Infrastructure.Auth.Roles.Secretary))))
                throw new DomainException("residents.id_search_not_allowed", status: StatusCodes.Status403Forbidden, field: nameof(f.IdNumber));
            if (Residents.IdNumber.TryParse(f.IdNumber, out var id) != Residents.IdNumber.Problem.None)
                throw DomainException.Invalid(nameof(f.IdNumber), "residents.id_search_exact");
            var hash = crypto.LookupHash(id.Value);
            q = q.Where(r => r.IdNumberHash == hash);
            await audit.WriteAsync(AuditEvents.IdNumberSearched, "Resident", null, id.Masked, communityId: communityId);
        }
        if (f.Tag is { } tag)
        {
            var all = SeesWithdrawnTags;
            q = q.Where(r => r.Tags.Any(x => x.Kind == tag && (all || !x.ConsentWithdrawn)));
        }
        if (f.EstateId is not null || f.BuildingId is not null || !string.IsNullOrWhiteSpace(f.BuildingNumber) || f.Entrance is not null
            || !string.IsNullOrWhiteSpace(f.HomeNumber) || f.GridId is not null)
        {
            var homes = db.Homes.AsQueryable();
            if (f.BuildingId is { } b) homes = homes.Where(h => h.BuildingId == b);
            if (!string.IsNullOrWhiteSpace(f.BuildingNumber))
            {
                var bn = f.BuildingNumber.Trim();
                homes = homes.Where(h => db.Buildings.Any(x => x.Id == h.BuildingId && x.CommunityId == communityId && x.Number == bn));
            }
            if (f.EstateId is { } e) homes = homes.Where(h => db.Buildings.Any(x => x.Id == h.BuildingId && x.EstateId == e));
            if (f.Entrance is { } en) homes = homes.Where(h => h.EntranceNumber == en);
            if (!string.IsNullOrWhiteSpace(f.HomeNumber)) { var n = f.HomeNumber.Trim(); homes = homes.Where(h => h.Number == n); }
            if (f.GridId is { } g)
            {
                var areas = db.GridAreas.Where(a => a.GridId == g);
                homes = homes.Where(h => areas.Any(a => a.BuildingId == h.BuildingId && (a.EntranceNumber == 0 || a.EntranceNumber == h.EntranceNumber)));
            }
            q = q.Where(r => db.Residences.Any(x => x.ResidentId == r.Id && x.To == null && homes.Any(h => h.Id == x.HomeId)));
        }
        var seesWithdrawn = SeesWithdrawnTags;
        var total = await q.CountAsync(ct);
        // The page's ids first, from the (CommunityId, Name, Id) index alone; whole rows are read only for the ones shown,
        // not for every resident the name filter passes over on its way to the page (a deferred join).
        var pageIds = q.OrderBy(r => r.Name).ThenBy(r => r.Id).Skip((page - 1) * size).Take(size).Select(r => r.Id);
        var rows = await db.Residents.AsNoTracking().Where(r => pageIds.Contains(r.Id)).OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.Gender, r.BirthDate, r.IdNumberMasked, r.Phone, Tags = r.Tags.Where(x => seesWithdrawn || !x.ConsentWithdrawn).Select(x => new { x.Kind, x.CustomName }).ToList() })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var addresses = await AddressesAsync(db.Residences.Where(x => ids.Contains(x.ResidentId) && x.To == null), ct);
        var today = Today;
        return new ResidentPage(rows.Select(r => new ResidentRow(r.Id, r.Name, r.Gender, Age(r.BirthDate, today), r.IdNumberMasked, r.Phone is null ? null : Mask.Phone(r.Phone),
            addresses.GetValueOrDefault(r.Id)?.Address,
            r.Tags.Select(x => x.Kind == TagKind.Custom ? x.CustomName! : t.Get("tag." + x.Kind)).Concat(ComputedTags(r.BirthDate, today)).ToList())).ToList(),
            page, size, total);
    }

    /// <summary>
    /// One resident of the community as a work order's form picks them, or null when the caller may not see them there
    /// (another community, or outside a grid member's grids: the same <see cref="Visible"/> as the search; without a
    /// community, any the caller sees). The current home comes with <paramref name="withHome"/> (the newest residence still current).
    /// </summary>
    public async Task<ResidentPick?> PickAsync(Guid? communityId, Guid id, bool withHome = true, CancellationToken ct = default)
    {
        var q = Visible().AsNoTracking().Where(x => x.Id == id);
        if (communityId is { } c) q = q.Where(x => x.CommunityId == c);
        var r = await q.Select(x => new { x.Id, x.Name, x.Phone, x.AccountId }).FirstOrDefaultAsync(ct);
        if (r is null) return null;
        PickedHome? home = null;
        if (withHome)
        {
            var h = await (from x in db.Residences.AsNoTracking()
                           where x.ResidentId == id && x.To == null
                           join hm in db.Homes on x.HomeId equals hm.Id
                           join b in db.Buildings on hm.BuildingId equals b.Id
                           join e in db.Estates on b.EstateId equals e.Id
                           orderby x.From descending
                           select new { hm.Id, hm.BuildingId, hm.EntranceNumber, hm.Number, Building = b.Number, Estate = e.Name }).FirstOrDefaultAsync(ct);
            if (h is not null) home = new PickedHome(h.Id, h.BuildingId, h.EntranceNumber, t.Get("residents.address", h.Estate, h.Building, h.EntranceNumber, h.Number));
        }
        return new ResidentPick(r.Id, r.Name, r.Phone is null ? null : Mask.Phone(r.Phone), r.AccountId, home);
    }

    public async Task<Resident> GetAsync(Guid id, CancellationToken ct = default) =>
        await Visible().Include(r => r.Residences).Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException();

    public async Task<ResidentDetail> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var r = await GetAsync(id, ct);
        var history = await AddressesAsync(db.Residences.Where(x => x.ResidentId == id), ct, byResidence: true);
        var today = Today;
        return new ResidentDetail(r.Id, r.Name, r.Gender, r.BirthDate, r.AgeOn(today), r.IdNumberMasked, r.Phone is null ? null : Mask.Phone(r.Phone),
            r.EmergencyContactName, r.EmergencyContactPhone is null ? null : Mask.Phone(r.EmergencyContactPhone), r.Skills, r.Notes,
            r.Tags.Where(x => x.Kind != TagKind.Custom && (SeesWithdrawnTags || !x.ConsentWithdrawn)).Select(x => x.Kind).Order().ToList(),
            r.Tags.Where(x => x.Kind == TagKind.Custom).Select(x => x.CustomName!).Order().ToList(),
            ComputedTags(r.BirthDate, today).ToList(),
            r.Residences.OrderByDescending(x => x.From).Select(x => new ResidenceRow(x.Id, x.HomeId, history.GetValueOrDefault(x.Id)?.Address ?? "?", x.Occupancy, x.Relation, x.From, x.To)).ToList());
    }

    public async Task<Resident> CreateAsync(Guid communityId, ResidentInput input, CancellationToken ct = default)
    {
        if (!await db.Communities.AnyAsync(c => c.Id == communityId, ct)) throw new NotFoundException();
        var resident = new Resident(communityId, input.Name?.Trim() ?? "", clock.GetUtcNow().UtcDateTime);
        await ApplyAsync(resident, input, ct);
        db.Residents.Add(resident);
        await db.SaveChangesAsync(ct);
        return resident;
    }

    public async Task<Resident> UpdateAsync(Guid id, ResidentInput input, CancellationToken ct = default)
    {
        var resident = await GetAsync(id, ct);
        await ApplyAsync(resident, input, ct);
        await db.SaveChangesAsync(ct);
        return resident;
    }

    private async Task ApplyAsync(Resident resident, ResidentInput input, CancellationToken ct)
    {
        var v = new InputValidator(t)
            .Text(nameof(input.Name), input.Name, "field.person_name", Resident.NameMax)
            .Mobile(nameof(input.Phone), input.Phone, required: false)
            .Text(nameof(input.EmergencyContactName), input.EmergencyContactName, "field.emergency_name", 50, required: false)
            .Mobile(nameof(input.EmergencyContactPhone), input.EmergencyContactPhone, required: false)
            .Text(nameof(input.Skills), input.Skills, "field.skills", 200, required: false)
            .Text(nameof(input.Notes), input.Notes, "field.notes", 1000, required: false);
        IdNumber? id = null;
        if (!string.IsNullOrWhiteSpace(input.IdNumber))
        {
            var problem = Residents.IdNumber.TryParse(input.IdNumber, out var parsed);
            if (problem != Residents.IdNumber.Problem.None) v.Add(nameof(input.IdNumber), t.Get("residents.id_" + problem.ToString().ToLowerInvariant()));
            else
            {
                id = parsed;
                if (input.BirthDate is { } b && b != parsed.BirthDate) v.Add(nameof(input.BirthDate), t.Get("residents.birth_contradicts_id", UiDate(parsed.BirthDate)));
                if (input.Gender is { } g && g != parsed.Gender) v.Add(nameof(input.Gender), t.Get("residents.gender_contradicts_id"));
            }
        }
        if (input.BirthDate is { } birth && (birth > Today || birth.Year < 1880)) v.Add(nameof(input.BirthDate), t.Get("residents.birth_impossible"));
        v.ThrowIfInvalid();
        resident.Update(input.Name!, input.Gender, input.BirthDate, input.Phone, input.EmergencyContactName, input.EmergencyContactPhone, input.Skills, input.Notes,
            clock.GetUtcNow().UtcDateTime);
        if (id is { } number)
        {
            var hash = crypto.LookupHash(number.Value);
            if (hash != resident.IdNumberHash)
            {
                if (await db.Residents.AnyAsync(r => r.CommunityId == resident.CommunityId && r.IdNumberHash == hash && r.Id != resident.Id, ct))
                    throw DomainException.Invalid(nameof(input.IdNumber), "residents.id_exists");
                resident.SetIdNumber(number, crypto.Encrypt(number.Value), hash);
            }
        }
    }

    public async Task<Residence> MoveAsync(Guid id, MoveInput input, CancellationToken ct = default)
    {
        var resident = await GetAsync(id, ct);
        var home = await db.Homes.FirstOrDefaultAsync(h => h.Id == input.HomeId, ct) ?? throw DomainException.Invalid(nameof(input.HomeId), "residents.home_unknown");
        if (!Enum.IsDefined(input.Occupancy) || !Enum.IsDefined(input.Relation)) throw DomainException.Invalid(nameof(input.Relation), "validation.choose", "field.relation");
        var residence = resident.MoveTo(home, input.Occupancy, input.Relation, input.From ?? Today);
        await db.SaveChangesAsync(ct);
        return residence;
    }

    public async Task MoveOutAsync(Guid id, DateOnly? on, CancellationToken ct = default)
    {
        var resident = await GetAsync(id, ct);
        resident.MoveOut(on ?? Today);
        await db.SaveChangesAsync(ct);
    }

    public async Task SetTagsAsync(Guid id, TagsInput input, CancellationToken ct = default)
    {
        var resident = await GetAsync(id, ct);
        input.Kinds ??= [];
        input.CustomTags = (input.CustomTags ?? []).Where(c => c is not null).ToList();
        if (input.Kinds.Any(k => !Enum.IsDefined(k))) throw DomainException.Invalid(nameof(input.Kinds), "validation.choose", "field.tags");
        // Tags the caller cannot see (consent withdrawn) are kept as they are.
        var kinds = SeesWithdrawnTags ? input.Kinds : input.Kinds.Concat(resident.Tags.Where(x => x.ConsentWithdrawn).Select(x => x.Kind)).ToList();
        resident.SetTags(kinds, input.CustomTags);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The people living in a home now.</summary>
    public async Task<Household> HouseholdAsync(Guid homeId, CancellationToken ct = default)
    {
        var home = await db.Homes.AsNoTracking().FirstOrDefaultAsync(h => h.Id == homeId, ct) ?? throw new NotFoundException();
        if (scope.LimitedToGrids)
        {
            var grids = scope.GridIds;
            var inGrid = await db.AreasOf(grids).Covering(home.BuildingId, home.EntranceNumber).AnyAsync(ct);
            if (!inGrid) throw new NotFoundException();
        }
        var label = await HomeAddressAsync(home, ct);
        var today = Today;
        var members = await db.Residences.AsNoTracking().Where(r => r.HomeId == homeId && r.To == null)
            .Join(db.Residents, r => r.ResidentId, p => p.Id, (r, p) => new { p.Id, p.Name, p.Gender, p.BirthDate, r.Occupancy, r.Relation, r.From })
            .ToListAsync(ct);
        return new Household(homeId, label, members.OrderBy(m => m.Relation).ThenBy(m => m.Name)
            .Select(m => new HouseholdMember(m.Id, m.Name, m.Gender, Age(m.BirthDate, today), m.Occupancy, m.Relation, m.From)).ToList());
    }

    /// <summary>
    /// Full ID numbers and phones of the given residents, for an export by a role that may reveal (the caller checks
    /// the role and audits the export). Only residents the caller can see.
    /// </summary>
    public async Task<Dictionary<Guid, (string? IdNumber, string? Phone)>> FullNumbersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        var rows = await Visible().AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.IdNumberCipher, r.Phone }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (r.IdNumberCipher is null ? null : crypto.Decrypt(r.IdNumberCipher), r.Phone));
    }

    /// <summary>Decrypts the ID number for a role that needs it, with a reason; every reveal is audited.</summary>
    public async Task<string> RevealIdNumberAsync(Guid id, string? reason, CancellationToken ct = default)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length < 2) throw DomainException.Invalid("Reason", "residents.reveal_reason_required");
        if (trimmed.Length > 200) throw DomainException.Invalid("Reason", "validation.too_long", "field.reason", 200);
        var resident = await Visible().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException();
        if (resident.IdNumberCipher is null) throw new DomainException("residents.no_id_number");
        var plain = crypto.Decrypt(resident.IdNumberCipher);
        await audit.WriteAsync(RevealEvent, "Resident", resident.Id.ToString(), trimmed, communityId: resident.CommunityId);
        return plain;
    }

    /// <summary>Links the resident to the portal account with that mobile number (a Resident account of the community).</summary>
    public async Task LinkAccountAsync(Guid id, string? phone, CancellationToken ct = default)
    {
        var resident = await GetAsync(id, ct);
        if (string.IsNullOrWhiteSpace(phone)) { resident.LinkAccount(null); await db.SaveChangesAsync(ct); return; }
        new InputValidator(t).Mobile("Phone", phone).ThrowIfInvalid();
        var p = phone.Trim();
        // Only a resident's account of this community: staff accounts and other communities' people are not offered.
        var residentRole = await db.Roles.Where(r => r.Name == Infrastructure.Auth.Roles.Resident).Select(r => r.Id).FirstAsync(ct);
        var accountId = await db.Users.Where(u => u.UserName == p
                && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == residentRole)
                && db.UserScopes.Any(s => s.UserId == u.Id && s.CommunityId == resident.CommunityId))
            .Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct)
            ?? throw DomainException.Invalid("Phone", "residents.no_account");
        if (await db.Residents.IgnoreQueryFilters().AnyAsync(r => r.AccountId == accountId && r.Id != id, ct)) throw DomainException.Invalid("Phone", "residents.account_taken");
        resident.LinkAccount(accountId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The resident behind the signed-in portal account, if an office linked one.</summary>
    public async Task<Resident?> ForAccountAsync(Guid accountId, CancellationToken ct = default) =>
        await db.Residents.Include(r => r.Residences).Include(r => r.Tags).FirstOrDefaultAsync(r => r.AccountId == accountId, ct);

    public async Task CorrectOwnContactAsync(Guid accountId, string? phone, string? emergencyName, string? emergencyPhone, CancellationToken ct = default)
    {
        var resident = await ForAccountAsync(accountId, ct) ?? throw new NotFoundException();
        new InputValidator(t).Mobile("Phone", phone, required: false).Text("EmergencyContactName", emergencyName, "field.emergency_name", 50, required: false)
            .Mobile("EmergencyContactPhone", emergencyPhone, required: false).ThrowIfInvalid();
        resident.CorrectContact(phone, emergencyName, emergencyPhone, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    public async Task SetOwnConsentAsync(Guid accountId, TagKind kind, bool consent, CancellationToken ct = default)
    {
        var resident = await ForAccountAsync(accountId, ct) ?? throw new NotFoundException();
        resident.SetConsent(kind, consent);
        await audit.WriteAsync(consent ? AuditEvents.ConsentGiven : AuditEvents.ConsentWithdrawn, "Resident", resident.Id.ToString(), kind.ToString(), communityId: resident.CommunityId);
    }

    /// <summary>The reveal log of one community, newest first: who saw whose full ID number, when and why.</summary>
    public async Task<List<RevealRow>> RevealsAsync(Guid communityId, int take = 200, CancellationToken ct = default)
    {
        string[] events = [RevealEvent, AuditEvents.IdNumberSearched, AuditEvents.ResidentsExportedFull];
        var entries = await db.AuditEntries.AsNoTracking().Where(a => events.Contains(a.Event) && a.CommunityId == communityId)
            .OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
        var ids = entries.Select(e => Guid.TryParse(e.ObjectId, out var g) ? g : Guid.Empty).Distinct().ToList();
        var names = await db.Residents.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        return entries.Select(e =>
        {
            var id = Guid.TryParse(e.ObjectId, out var g) ? g : (Guid?)null;
            // A search by ID number names the number (masked); a full export says how many people it held.
            var whose = id is { } x && names.TryGetValue(x, out var n) ? n
                : e.Event == AuditEvents.IdNumberSearched ? e.Detail ?? "?"
                : e.Event == AuditEvents.ResidentsExportedFull ? t.Get("residents.reveal_export", e.Detail?.Split(':')[0] ?? "?") : "?";
            var reason = e.Event switch
            {
                AuditEvents.IdNumberSearched => t.Get("audit_event." + e.Event),
                AuditEvents.ResidentsExportedFull => e.Detail?.Split(':', 2) is [_, var why] ? why.Trim() : e.Detail,
                _ => e.Detail,
            };
            return new RevealRow(e.At, e.UserName, id, whose, reason);
        }).ToList();
    }

    /// <summary>Finds a resident by the exact ID number, through the keyed hash (no decryption).</summary>
    public async Task<Guid?> FindByIdNumberAsync(Guid communityId, string idNumber, CancellationToken ct = default)
    {
        if (Residents.IdNumber.TryParse(idNumber, out var id) != Residents.IdNumber.Problem.None) return null;
        var hash = crypto.LookupHash(id.Value);
        return await db.Residents.Where(r => r.CommunityId == communityId && r.IdNumberHash == hash).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<string> HomeAddressAsync(Home home, CancellationToken ct)
    {
        var b = await db.Buildings.AsNoTracking().Where(x => x.Id == home.BuildingId)
            .Join(db.Estates, x => x.EstateId, e => e.Id, (x, e) => new { x.Number, Estate = e.Name }).FirstAsync(ct);
        return t.Get("residents.address", b.Estate, b.Number, home.EntranceNumber, home.Number);
    }

    private sealed record Placed(Guid ResidentId, Guid ResidenceId, string Address);

    /// <summary>Addresses of residences, keyed by resident (current ones) or by residence (history).</summary>
    private async Task<Dictionary<Guid, Placed>> AddressesAsync(IQueryable<Residence> residences, CancellationToken ct, bool byResidence = false)
    {
        var rows = await (from r in residences
                          join h in db.Homes on r.HomeId equals h.Id
                          join b in db.Buildings on h.BuildingId equals b.Id
                          join e in db.Estates on b.EstateId equals e.Id
                          select new { r.Id, r.ResidentId, Estate = e.Name, Building = b.Number, h.EntranceNumber, h.Number }).ToListAsync(ct);
        return rows.Select(x => new Placed(x.ResidentId, x.Id, t.Get("residents.address", x.Estate, x.Building, x.EntranceNumber, x.Number)))
            .GroupBy(p => byResidence ? p.ResidenceId : p.ResidentId).ToDictionary(g => g.Key, g => g.First());
    }

    private static int? Age(DateOnly? birth, DateOnly today) => birth is { } b ? ChinaTime.AgeOn(b, today) : null;

    private IEnumerable<string> ComputedTags(DateOnly? birth, DateOnly today)
    {
        if (Age(birth, today) is not { } age) yield break;
        if (age >= 80) yield return t.Get("tag.Aged80Plus");
        if (age < 18) yield return t.Get("tag.Minor");
    }

    private static string UiDate(DateOnly d) => Shared.UiHelpers.Date(d);
}
