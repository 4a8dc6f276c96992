using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TimeLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EscalatedAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "GridId",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LimitsInWorkingHours",
                table: "WorkOrders",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextCheckAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResolutionHours",
                table: "WorkOrders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionOverdueAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionWarnAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionWarnedAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseOverdueAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseWarnAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseWarnedAt",
                table: "WorkOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tier",
                table: "WorkOrders",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "WarningLeadHours",
                table: "WorkOrders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "CalendarDays",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarDays", x => x.Date);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecipientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TextKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 60, nullable: false),
                    Args = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Link = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_GridId_CreatedAt",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "GridId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_NextCheckAt",
                table: "WorkOrders",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientId_ReadAt_CreatedAt",
                table: "Notifications",
                columns: new[] { "RecipientId", "ReadAt", "CreatedAt" });

            // Orders reported before time limits were watched: the clock looks at the open ones once, with the limits
            // they have; they answer to the community.
            migrationBuilder.Sql("""
                UPDATE "WorkOrders" SET "Tier" = 'Community', "ResponseWarnAt" = "ResponseDueAt", "ResolutionWarnAt" = "ResolutionDueAt",
                    "NextCheckAt" = CASE WHEN "Status" IN ('Done', 'Visited', 'Closed', 'Paused') THEN NULL ELSE "ResponseDueAt" END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarDays");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CommunityId_GridId_CreatedAt",
                table: "WorkOrders");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_NextCheckAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "GridId",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "LimitsInWorkingHours",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "NextCheckAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResolutionHours",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResolutionOverdueAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResolutionWarnAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResolutionWarnedAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResponseOverdueAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResponseWarnAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "ResponseWarnedAt",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "WarningLeadHours",
                table: "WorkOrders");
        }
    }
}
