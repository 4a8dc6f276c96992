using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkOrderMetrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DoneOnTime",
                table: "WorkOrders",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinutesToDone",
                table: "WorkOrders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RespondedOnTime",
                table: "WorkOrders",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TopCategoryId",
                table: "WorkOrders",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "CreatedAt", "TopCategoryId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "DoneOnTime",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "MinutesToDone",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "RespondedOnTime",
                table: "WorkOrders");

            migrationBuilder.DropColumn(
                name: "TopCategoryId",
                table: "WorkOrders");
        }
    }
}
