using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmsAchse.Identity.Migrations.Postgres
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
                    ManagerId = table.Column<Guid>(type: "uuid", nullable: false),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    NetworkSlug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Removed = table.Column<bool>(type: "boolean", nullable: false)
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
