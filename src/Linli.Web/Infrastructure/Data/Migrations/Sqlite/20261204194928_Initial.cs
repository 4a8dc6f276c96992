using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linli.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: true),
                    SecurityStamp = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumber = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Event = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    ObjectType = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Ip = table.Column<string>(type: "TEXT", unicode: false, maxLength: 45, nullable: true),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

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
                name: "Communities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DivisionCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ShortName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    SubdistrictCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 9, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 6, nullable: false),
                    CityCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 4, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    FoundedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Communities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Divisions",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    ParentCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Divisions", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "Grids",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Grids", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Grids_Grids_ParentId",
                        column: x => x.ParentId,
                        principalTable: "Grids",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
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

            migrationBuilder.CreateTable(
                name: "WorkOrderMetricsCells",
                columns: table => new
                {
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    By = table.Column<int>(type: "INTEGER", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GroupName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Reported = table.Column<int>(type: "INTEGER", nullable: false),
                    Responded = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    Rated = table.Column<int>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<int>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderMetricsCells", x => new { x.CommunityId, x.By, x.Level, x.GroupId, x.GroupName, x.Bucket, x.Month });
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderKey = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UserScopes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SubdistrictCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 9, nullable: true),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserScopes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserScopes_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Estates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PropertyCompanyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Estates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Estates_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OnCallDuties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
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
                name: "PartnerUnits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: true),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerUnits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnerUnits_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Residents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Gender = table.Column<int>(type: "INTEGER", nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    IdNumberCipher = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: true),
                    IdNumberHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    IdNumberMasked = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", unicode: false, maxLength: 11, nullable: true),
                    PhoneTail = table.Column<string>(type: "TEXT", unicode: false, maxLength: 4, nullable: true),
                    EmergencyContactName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    EmergencyContactPhone = table.Column<string>(type: "TEXT", unicode: false, maxLength: 11, nullable: true),
                    Skills = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "Teams",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Teams", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Teams_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WorkOrderCategories",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ResponseHours = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolutionHours = table.Column<int>(type: "INTEGER", nullable: false),
                    WarningLeadHours = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkingHours = table.Column<bool>(type: "INTEGER", nullable: false),
                    Public = table.Column<bool>(type: "INTEGER", nullable: false),
                    GridFirst = table.Column<bool>(type: "INTEGER", nullable: false),
                    DefaultHandlerKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DefaultHandlerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DefaultHandlerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderCategories", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkOrderCategories_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkOrderCategories_WorkOrderCategories_ParentId",
                        column: x => x.ParentId,
                        principalTable: "WorkOrderCategories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WorkOrderMetricsChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Sign = table.Column<int>(type: "INTEGER", nullable: false),
                    TopCategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HandlerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Done = table.Column<bool>(type: "INTEGER", nullable: false),
                    Minutes = table.Column<int>(type: "INTEGER", nullable: true),
                    Responded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Rated = table.Column<bool>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<bool>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<bool>(type: "INTEGER", nullable: false)
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
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    BuiltAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "GridMembers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", unicode: false, maxLength: 11, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GridMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GridMembers_Grids_GridId",
                        column: x => x.GridId,
                        principalTable: "Grids",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Buildings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EstateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Floors = table.Column<int>(type: "INTEGER", nullable: false),
                    EntranceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HomesPerFloor = table.Column<int>(type: "INTEGER", nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Buildings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Buildings_Estates_EstateId",
                        column: x => x.EstateId,
                        principalTable: "Estates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InspectionWalks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EstateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StartedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    StartedByName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    FinishedByName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                name: "ResidentTags",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomName = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ConsentWithdrawn = table.Column<bool>(type: "INTEGER", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "RoutingRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    EstateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Time = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HandlerKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    HandlerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HandlerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    DispatchAtOnce = table.Column<bool>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "WorkOrders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    EstateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EntranceNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    HomeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PlaceText = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReporterAccountId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusBeforePause = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    HandlerKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    HandlerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HandlerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DispatchedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TakenAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    MinutesToDone = table.Column<int>(type: "INTEGER", nullable: true),
                    RespondedOnTime = table.Column<bool>(type: "INTEGER", nullable: true),
                    DoneOnTime = table.Column<bool>(type: "INTEGER", nullable: true),
                    TopCategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResponseDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolutionDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PausedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExtensionHoursRequested = table.Column<int>(type: "INTEGER", nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    RatingComment = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ReopenCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UrgeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DuplicateOfId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LimitsInWorkingHours = table.Column<bool>(type: "INTEGER", nullable: false),
                    ResolutionHours = table.Column<int>(type: "INTEGER", nullable: false),
                    WarningLeadHours = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseWarnAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolutionWarnAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResponseWarnedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolutionWarnedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResponseOverdueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolutionOverdueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextCheckAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkOrders_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkOrders_WorkOrderCategories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "WorkOrderCategories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Entrances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Entrances", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Entrances_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GridAreas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntranceNumber = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GridAreas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GridAreas_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_GridAreas_Grids_GridId",
                        column: x => x.GridId,
                        principalTable: "Grids",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InspectionBuildings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalkedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    WalkedByName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    WalkedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntranceNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    CategoryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PhotoCount = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkOrderNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    RecordedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "WorkOrderEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ActorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 600, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkOrderEvents_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkOrderPhotos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    File = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: false),
                    Thumbnail = table.Column<string>(type: "TEXT", unicode: false, maxLength: 200, nullable: false),
                    Width = table.Column<int>(type: "INTEGER", nullable: false),
                    Height = table.Column<int>(type: "INTEGER", nullable: false),
                    AddedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    AddedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkOrderPhotos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkOrderPhotos_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Homes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntranceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntranceNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Floor = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Homes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Homes_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Homes_Entrances_EntranceId",
                        column: x => x.EntranceId,
                        principalTable: "Entrances",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Residences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Occupancy = table.Column<int>(type: "INTEGER", nullable: false),
                    Relation = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: true)
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
                name: "SurveyVisits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    People = table.Column<int>(type: "INTEGER", nullable: true),
                    LivingAlone = table.Column<bool>(type: "INTEGER", nullable: false),
                    ElderlyLivingHere = table.Column<bool>(type: "INTEGER", nullable: false),
                    Needs = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    VisitedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    VisitedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Event_At",
                table: "AuditEntries",
                columns: new[] { "Event", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserId_At",
                table: "AuditEntries",
                columns: new[] { "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Buildings_CommunityId_EstateId_Number",
                table: "Buildings",
                columns: new[] { "CommunityId", "EstateId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Buildings_EstateId",
                table: "Buildings",
                column: "EstateId");

            migrationBuilder.CreateIndex(
                name: "IX_Communities_DivisionCode",
                table: "Communities",
                column: "DivisionCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Communities_SubdistrictCode",
                table: "Communities",
                column: "SubdistrictCode");

            migrationBuilder.CreateIndex(
                name: "IX_Divisions_ParentCode",
                table: "Divisions",
                column: "ParentCode");

            migrationBuilder.CreateIndex(
                name: "IX_Entrances_BuildingId",
                table: "Entrances",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_Entrances_CommunityId_BuildingId_Number",
                table: "Entrances",
                columns: new[] { "CommunityId", "BuildingId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Estates_CommunityId_Name",
                table: "Estates",
                columns: new[] { "CommunityId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GridAreas_BuildingId",
                table: "GridAreas",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_GridAreas_CommunityId_Level_BuildingId_EntranceNumber",
                table: "GridAreas",
                columns: new[] { "CommunityId", "Level", "BuildingId", "EntranceNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GridAreas_GridId",
                table: "GridAreas",
                column: "GridId");

            migrationBuilder.CreateIndex(
                name: "IX_GridMembers_CommunityId_GridId",
                table: "GridMembers",
                columns: new[] { "CommunityId", "GridId" });

            migrationBuilder.CreateIndex(
                name: "IX_GridMembers_GridId",
                table: "GridMembers",
                column: "GridId");

            migrationBuilder.CreateIndex(
                name: "IX_Grids_CommunityId_Name",
                table: "Grids",
                columns: new[] { "CommunityId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Grids_ParentId",
                table: "Grids",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_Homes_BuildingId",
                table: "Homes",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_Homes_CommunityId_BuildingId_EntranceNumber_Number",
                table: "Homes",
                columns: new[] { "CommunityId", "BuildingId", "EntranceNumber", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Homes_EntranceId",
                table: "Homes",
                column: "EntranceId");

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

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientId_ReadAt_CreatedAt",
                table: "Notifications",
                columns: new[] { "RecipientId", "ReadAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OnCallDuties_CommunityId_Date",
                table: "OnCallDuties",
                columns: new[] { "CommunityId", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PartnerUnits_CommunityId_Name",
                table: "PartnerUnits",
                columns: new[] { "CommunityId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_HomeId_To_ResidentId",
                table: "Residences",
                columns: new[] { "CommunityId", "HomeId", "To", "ResidentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_CommunityId_ResidentId_To_HomeId",
                table: "Residences",
                columns: new[] { "CommunityId", "ResidentId", "To", "HomeId" });

            migrationBuilder.CreateIndex(
                name: "IX_Residences_HomeId",
                table: "Residences",
                column: "HomeId");

            migrationBuilder.CreateIndex(
                name: "IX_Residences_ResidentId",
                table: "Residences",
                column: "ResidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_AccountId",
                table: "Residents",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_IdNumberHash",
                table: "Residents",
                columns: new[] { "CommunityId", "IdNumberHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_Name_Id",
                table: "Residents",
                columns: new[] { "CommunityId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Residents_CommunityId_PhoneTail",
                table: "Residents",
                columns: new[] { "CommunityId", "PhoneTail" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTags_CommunityId_Kind_ResidentId",
                table: "ResidentTags",
                columns: new[] { "CommunityId", "Kind", "ResidentId" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentTags_ResidentId",
                table: "ResidentTags",
                column: "ResidentId");

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

            migrationBuilder.CreateIndex(
                name: "IX_SurveyVisits_CommunityId_BuildingId_HomeId_VisitedAt",
                table: "SurveyVisits",
                columns: new[] { "CommunityId", "BuildingId", "HomeId", "VisitedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyVisits_HomeId",
                table: "SurveyVisits",
                column: "HomeId");

            migrationBuilder.CreateIndex(
                name: "IX_Teams_CommunityId_Name",
                table: "Teams",
                columns: new[] { "CommunityId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UserScopes_CommunityId",
                table: "UserScopes",
                column: "CommunityId");

            migrationBuilder.CreateIndex(
                name: "IX_UserScopes_UserId_Kind_TargetId_SubdistrictCode",
                table: "UserScopes",
                columns: new[] { "UserId", "Kind", "TargetId", "SubdistrictCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderCategories_CommunityId_ParentId_Name",
                table: "WorkOrderCategories",
                columns: new[] { "CommunityId", "ParentId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderCategories_ParentId",
                table: "WorkOrderCategories",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderEvents_CommunityId_WorkOrderId_At",
                table: "WorkOrderEvents",
                columns: new[] { "CommunityId", "WorkOrderId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderEvents_WorkOrderId",
                table: "WorkOrderEvents",
                column: "WorkOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderMetricsChanges_CommunityId_Month",
                table: "WorkOrderMetricsChanges",
                columns: new[] { "CommunityId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderPhotos_CommunityId_WorkOrderId_Stage",
                table: "WorkOrderPhotos",
                columns: new[] { "CommunityId", "WorkOrderId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrderPhotos_WorkOrderId",
                table: "WorkOrderPhotos",
                column: "WorkOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CategoryId",
                table: "WorkOrders",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_BuildingId_CategoryId_Status",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "BuildingId", "CategoryId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_CreatedAt_TopCategoryId",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "CreatedAt", "TopCategoryId" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_GridId_CreatedAt",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "GridId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_HandlerKind_HandlerId_Status",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "HandlerKind", "HandlerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_Number",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_CommunityId_Status_CreatedAt",
                table: "WorkOrders",
                columns: new[] { "CommunityId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_NextCheckAt",
                table: "WorkOrders",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_WorkOrders_ReporterAccountId",
                table: "WorkOrders",
                column: "ReporterAccountId");

            // The audit log is append-only: the database refuses updates and deletes too.
            migrationBuilder.Sql(@"CREATE TRIGGER audit_no_update BEFORE UPDATE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "CalendarDays");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "Divisions");

            migrationBuilder.DropTable(
                name: "GridAreas");

            migrationBuilder.DropTable(
                name: "GridMembers");

            migrationBuilder.DropTable(
                name: "InspectionBuildings");

            migrationBuilder.DropTable(
                name: "InspectionProblems");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "OnCallDuties");

            migrationBuilder.DropTable(
                name: "PartnerUnits");

            migrationBuilder.DropTable(
                name: "Residences");

            migrationBuilder.DropTable(
                name: "ResidentTags");

            migrationBuilder.DropTable(
                name: "RoutingRules");

            migrationBuilder.DropTable(
                name: "SurveyVisits");

            migrationBuilder.DropTable(
                name: "Teams");

            migrationBuilder.DropTable(
                name: "UserScopes");

            migrationBuilder.DropTable(
                name: "WorkOrderEvents");

            migrationBuilder.DropTable(
                name: "WorkOrderMetricsCells");

            migrationBuilder.DropTable(
                name: "WorkOrderMetricsChanges");

            migrationBuilder.DropTable(
                name: "WorkOrderMetricsMonths");

            migrationBuilder.DropTable(
                name: "WorkOrderPhotos");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "Grids");

            migrationBuilder.DropTable(
                name: "InspectionWalks");

            migrationBuilder.DropTable(
                name: "Residents");

            migrationBuilder.DropTable(
                name: "Homes");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "WorkOrders");

            migrationBuilder.DropTable(
                name: "Entrances");

            migrationBuilder.DropTable(
                name: "WorkOrderCategories");

            migrationBuilder.DropTable(
                name: "Buildings");

            migrationBuilder.DropTable(
                name: "Estates");

            migrationBuilder.DropTable(
                name: "Communities");
        }
    }
}
