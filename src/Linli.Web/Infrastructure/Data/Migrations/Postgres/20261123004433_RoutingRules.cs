using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RoutingRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OnCallDuties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Note = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OnCallDuties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OnCallDuties_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RoutingRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Place = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    EstateId = table.Column<Guid>(type: "uuid", nullable: true),
                    Time = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HandlerKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    HandlerId = table.Column<Guid>(type: "uuid", nullable: true),
                    HandlerName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    DispatchAtOnce = table.Column<bool>(type: "boolean", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoutingRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RoutingRules_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RoutingRules_Estates_EstateId",
                        column: x => x.EstateId,
                        principalTable: "Estates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RoutingRules_WorkOrderCategories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "WorkOrderCategories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OnCallDuties_CommunityId_Date",
                table: "OnCallDuties",
                columns: new[] { "CommunityId", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RoutingRules_CategoryId",
                table: "RoutingRules",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_RoutingRules_CommunityId_Position",
                table: "RoutingRules",
                columns: new[] { "CommunityId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RoutingRules_EstateId",
                table: "RoutingRules",
                column: "EstateId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OnCallDuties");

            migrationBuilder.DropTable(
                name: "RoutingRules");
        }
    }
}
