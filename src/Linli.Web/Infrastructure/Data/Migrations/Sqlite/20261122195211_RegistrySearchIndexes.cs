using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RegistrySearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Residents_CommunityId_Name",
                table: "Residents");

            migrationBuilder.DropIndex(
                name: "IX_Residences_CommunityId_HomeId_To",
                table: "Residences");

            migrationBuilder.DropIndex(
                name: "IX_Residences_CommunityId_ResidentId",
                table: "Residences");

            migrationBuilder.AddColumn<string>(
                name: "PhoneTail",
                table: "Residents",
                type: "TEXT",
                unicode: false,
                maxLength: 4,
                nullable: true);

            // Residents registered before the column existed: the entity keeps it from now on.
            migrationBuilder.Sql("""UPDATE "Residents" SET "PhoneTail" = substr("Phone", length("Phone") - 3) WHERE "Phone" IS NOT NULL AND length("Phone") >= 4""");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_Name_Id",
                table: "Residents",
                columns: new[] { "CommunityId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_PhoneTail",
                table: "Residents",
                columns: new[] { "CommunityId", "PhoneTail" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_HomeId_To_ResidentId",
                table: "Residences",
                columns: new[] { "CommunityId", "HomeId", "To", "ResidentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_ResidentId_To_HomeId",
                table: "Residences",
                columns: new[] { "CommunityId", "ResidentId", "To", "HomeId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Residents_CommunityId_Name_Id",
                table: "Residents");

            migrationBuilder.DropIndex(
                name: "IX_Residents_CommunityId_PhoneTail",
                table: "Residents");

            migrationBuilder.DropIndex(
                name: "IX_Residences_CommunityId_HomeId_To_ResidentId",
                table: "Residences");

            migrationBuilder.DropIndex(
                name: "IX_Residences_CommunityId_ResidentId_To_HomeId",
                table: "Residences");

            migrationBuilder.DropColumn(
                name: "PhoneTail",
                table: "Residents");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_Name",
                table: "Residents",
                columns: new[] { "CommunityId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_HomeId_To",
                table: "Residences",
                columns: new[] { "CommunityId", "HomeId", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_ResidentId",
                table: "Residences",
                columns: new[] { "CommunityId", "ResidentId" });
        }
    }
}
