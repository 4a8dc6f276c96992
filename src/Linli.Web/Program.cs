using Linli.Web.Features.Accounts;
using Linli.Web.Features.Audit;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Demo;
using Linli.Web.Features.Grids;
using Linli.Web.Features.Inspections;
using Linli.Web.Features.Notifications;
using Linli.Web.Features.Places;
using Linli.Web.Features.Places.Divisions;
using Linli.Web.Features.Portal;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Residents.Import;
using Linli.Web.Features.Users;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Media;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

// Cross-cutting concerns
builder.AddLinliData();
builder.AddLinliAuth();
builder.AddLinliWeb();
builder.AddLinliMedia();
builder.AddLinliOperations();
StartupGate.AddStartupGate(builder);

// Features (each module's AddX registers its services, policies, navigation and jobs)
builder.AddPortal();
builder.AddAccounts();
builder.AddUsers();
builder.AddPlaces();
builder.AddGrids();
builder.AddResidents();
builder.AddResidentImport();
builder.AddCalendar();
builder.AddNotifications();
builder.AddWorkOrders();
builder.AddInspections();
builder.AddAuditLog();
builder.AddDemo();

var app = builder.Build();

// `dotnet run -- divisions import --area 1301`: a command, not the web server.
if (args is ["demo", "code"])
{
    Console.WriteLine(Totp.Code(DemoSeeder.TotpKey, DateTimeOffset.UtcNow));
    return 0;
}
if (args is ["divisions", ..])
{
    await app.Services.MigrateAsync();
    return await DivisionImport.RunCommandAsync(app.Services, args, Console.Out);
}

if (args is ["admin", ..])
{
    await app.Services.MigrateAsync();
    await app.Services.RunStartupTasksAsync();
    return await AdminCommand.RunAsync(app.Services, args, Console.Out, Console.In);
}

// The schema first (data-protection keys live in the database and are read as the server starts), then the start-up
// tasks (roles, the bundled calendar, the demo) run while the server starts; requests wait for them at the gate.
await app.Services.MigrateAsync();
var gate = app.Services.GetRequiredService<StartupGate>();
gate.Start(() => app.Services.RunStartupTasksAsync());
StartupGate.Use(app);
app.UseLinliWeb();
app.MapLinliHealth();
app.MapAccountApi();
app.MapUsersApi();
app.MapPlacesApi();
app.MapGridsApi();
app.MapResidentsApi();
app.MapImportApi();
app.MapWorkOrdersApi();
app.MapCalendarApi();
app.MapNotificationsApi();
app.MapInspectionsApi();
app.MapAuditApi();
app.MapBenchCeiling(); // only with Bench:Ceiling=true (the bench's intake yardstick)

await app.RunAsync();
return gate.Ready.IsFaulted ? 1 : 0;

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
