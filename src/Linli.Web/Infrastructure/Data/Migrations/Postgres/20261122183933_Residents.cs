using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Residents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Residents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "integer", nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    IdNumberCipher = table.Column<string>(type: "character varying(200)", unicode: false, maxLength: 200, nullable: true),
                    IdNumberHash = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: true),
                    IdNumberMasked = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: true),
                    Phone = table.Column<string>(type: "character varying(11)", unicode: false, maxLength: 11, nullable: true),
                    EmergencyContactName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    EmergencyContactPhone = table.Column<string>(type: "character varying(11)", unicode: false, maxLength: 11, nullable: true),
                    Skills = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Residents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Residents_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Residences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResidentId = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Occupancy = table.Column<int>(type: "integer", nullable: false),
                    Relation = table.Column<int>(type: "integer", nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Residences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Residences_Homes_HomeId",
                        column: x => x.HomeId,
                        principalTable: "Homes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Residences_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ResidentTags",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResidentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CustomName = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentTags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResidentTags_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_HomeId_To",
                table: "Residences",
                columns: new[] { "CommunityId", "HomeId", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_ResidentId",
                table: "Residences",
                columns: new[] { "CommunityId", "ResidentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_HomeId",
                table: "Residences",
                column: "HomeId");

            migrationBuilder.CreateIndex(
                name: "IX_Residences_ResidentId",
                table: "Residences",
                column: "ResidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_IdNumberHash",
                table: "Residents",
                columns: new[] { "CommunityId", "IdNumberHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_Name",
                table: "Residents",
                columns: new[] { "CommunityId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTags_CommunityId_Kind_ResidentId",
                table: "ResidentTags",
                columns: new[] { "CommunityId", "Kind", "ResidentId" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTags_ResidentId",
                table: "ResidentTags",
                column: "ResidentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Residences");

            migrationBuilder.DropTable(
                name: "ResidentTags");

            migrationBuilder.DropTable(
                name: "Residents");
        }
    }
}
