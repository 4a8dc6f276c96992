using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Survey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SurveyVisits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    BuildingId = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: false),
                    People = table.Column<int>(type: "integer", nullable: true),
                    LivingAlone = table.Column<bool>(type: "boolean", nullable: false),
                    ElderlyLivingHere = table.Column<bool>(type: "boolean", nullable: false),
                    Needs = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    VisitedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    VisitedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyVisits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurveyVisits_Homes_HomeId",
                        column: x => x.HomeId,
                        principalTable: "Homes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyVisits_CommunityId_BuildingId_HomeId_VisitedAt",
                table: "SurveyVisits",
                columns: new[] { "CommunityId", "BuildingId", "HomeId", "VisitedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyVisits_HomeId",
                table: "SurveyVisits",
                column: "HomeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SurveyVisits");
        }
    }
}
