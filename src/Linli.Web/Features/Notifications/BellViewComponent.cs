using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Notifications;

/// <summary>The bell in both shells' headers: a slot that htmx fills with the unread count, so cached pages never show a stale one.</summary>
public sealed class BellViewComponent : ViewComponent
{
    public IViewComponentResult Invoke() => View("/Features/Notifications/_BellSlot.cshtml");
}
