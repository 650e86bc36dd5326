using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmsAchse.Identity.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ManagerRights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ManagerRights",
                columns: table => new
                {
                    ManagerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    NetworkSlug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Removed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ManagerRights", x => x.ManagerId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ManagerRights_NormalizedEmail_NetworkSlug",
                table: "ManagerRights",
                columns: new[] { "NormalizedEmail", "NetworkSlug" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ManagerRights");
        }
    }
}
