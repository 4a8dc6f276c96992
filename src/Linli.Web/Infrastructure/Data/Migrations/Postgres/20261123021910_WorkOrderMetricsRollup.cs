using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkOrderMetricsRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders");

            migrationBuilder.CreateTable(
                name: "WorkOrderMetricsCells",
                columns: table => new
                {
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    By = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    GroupName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Reported = table.Column<int>(type: "integer", nullable: false),
                    Responded = table.Column<int>(type: "integer", nullable: false),
                    Done = table.Column<int>(type: "integer", nullable: false),
                    Rated = table.Column<int>(type: "integer", nullable: false),
                    Satisfied = table.Column<int>(type: "integer", nullable: false),
                    OnTime = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderMetricsCells", x => new { x.CommunityId, x.By, x.Level, x.GroupId, x.GroupName, x.Bucket, x.Month });
                });

            migrationBuilder.CreateTable(
                name: "WorkOrderMetricsChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Sign = table.Column<int>(type: "integer", nullable: false),
                    TopCategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    HandlerName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    GridId = table.Column<Guid>(type: "uuid", nullable: false),
                    Done = table.Column<bool>(type: "boolean", nullable: false),
                    Minutes = table.Column<int>(type: "integer", nullable: true),
                    Responded = table.Column<bool>(type: "boolean", nullable: false),
                    Rated = table.Column<bool>(type: "boolean", nullable: false),
                    Satisfied = table.Column<bool>(type: "boolean", nullable: false),
                    OnTime = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderMetricsChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkOrderMetricsChanges_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkOrderMetricsMonths",
                columns: table => new
                {
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    BuiltAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderMetricsMonths", x => new { x.CommunityId, x.Month });
                    table.ForeignKey(
                        name: "FK_WorkOrderMetricsMonths_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "CreatedAt", "TopCategoryId" })
                .Annotation("Npgsql:IndexInclude", new[] { "DuplicateOfId", "HandlerName", "GridId", "DoneAt", "MinutesToDone", "RespondedOnTime", "DoneOnTime", "Rating" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderMetricsChanges_CommunityId_Month",
                table: "WorkOrderMetricsChanges",
                columns: new[] { "CommunityId", "Month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WorkOrderMetricsCells");

            migrationBuilder.DropTable(
                name: "WorkOrderMetricsChanges");

            migrationBuilder.DropTable(
                name: "WorkOrderMetricsMonths");

            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "CreatedAt", "TopCategoryId" })
                .Annotation("Npgsql:IndexInclude", new[] { "DuplicateOfId", "HandlerName", "DoneAt", "MinutesToDone", "RespondedOnTime", "DoneOnTime", "Rating" });
        }
    }
}
