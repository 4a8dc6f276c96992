using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Places.Console.Estates;

[Authorize(Policy = PlacePolicies.ManagePlaces)]
public sealed class EditModel(CurrentCommunity console, PlacesService places) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public EstateInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var e = await places.GetEstateAsync(id, ct);
            Input = new EstateInput { Name = e.Name, Address = e.Address, PropertyCompanyName = e.PropertyCompanyName };
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Estate? estate = null;
        var ok = await TryAsync(async () =>
        {
            if (Id is { } id) estate = await places.UpdateEstateAsync(id, Input);
            else estate = await places.CreateEstateAsync((await console.CurrentAsync() ?? throw new NotFoundException()).Id, Input);
        }, nameof(Input));
        if (!ok) return Page();
        return RedirectWithFlash($"/console/estates/{estate!.Id}", T.Get("estates.saved", estate.Name));
    }
}
