using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InspectionWalks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InspectionWalks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    EstateId = table.Column<Guid>(type: "uuid", nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    StartedById = table.Column<Guid>(type: "uuid", nullable: true),
                    StartedByName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedById = table.Column<Guid>(type: "uuid", nullable: true),
                    FinishedByName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InspectionWalks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InspectionWalks_Estates_EstateId",
                        column: x => x.EstateId,
                        principalTable: "Estates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InspectionBuildings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    WalkId = table.Column<Guid>(type: "uuid", nullable: false),
                    BuildingId = table.Column<Guid>(type: "uuid", nullable: false),
                    WalkedById = table.Column<Guid>(type: "uuid", nullable: true),
                    WalkedByName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    WalkedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InspectionBuildings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InspectionBuildings_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InspectionBuildings_InspectionWalks_WalkId",
                        column: x => x.WalkId,
                        principalTable: "InspectionWalks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InspectionProblems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    WalkId = table.Column<Guid>(type: "uuid", nullable: false),
                    BuildingId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntranceNumber = table.Column<int>(type: "integer", nullable: true),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PhotoCount = table.Column<int>(type: "integer", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkOrderNumber = table.Column<string>(type: "character varying(20)", unicode: false, maxLength: 20, nullable: false),
                    RecordedById = table.Column<Guid>(type: "uuid", nullable: true),
                    RecordedByName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InspectionProblems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InspectionProblems_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InspectionProblems_InspectionWalks_WalkId",
                        column: x => x.WalkId,
                        principalTable: "InspectionWalks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_InspectionProblems_WorkOrderCategories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "WorkOrderCategories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InspectionProblems_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InspectionBuildings_BuildingId",
                table: "InspectionBuildings",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionBuildings_CommunityId_WalkId_BuildingId",
                table: "InspectionBuildings",
                columns: new[] { "CommunityId", "WalkId", "BuildingId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InspectionBuildings_WalkId",
                table: "InspectionBuildings",
                column: "WalkId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionProblems_BuildingId",
                table: "InspectionProblems",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionProblems_CategoryId",
                table: "InspectionProblems",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionProblems_CommunityId_WalkId_BuildingId",
                table: "InspectionProblems",
                columns: new[] { "CommunityId", "WalkId", "BuildingId" });

            migrationBuilder.CreateIndex(
                name: "IX_InspectionProblems_WalkId",
                table: "InspectionProblems",
                column: "WalkId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionProblems_WorkOrderId",
                table: "InspectionProblems",
                column: "WorkOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InspectionWalks_CommunityId_StartedAt",
                table: "InspectionWalks",
                columns: new[] { "CommunityId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InspectionWalks_EstateId",
                table: "InspectionWalks",
                column: "EstateId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionWalks_OpenPerEstate",
                table: "InspectionWalks",
                columns: new[] { "CommunityId", "EstateId" },
                unique: true,
                filter: "\"FinishedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InspectionBuildings");

            migrationBuilder.DropTable(
                name: "InspectionProblems");

            migrationBuilder.DropTable(
                name: "InspectionWalks");
        }
    }
}
