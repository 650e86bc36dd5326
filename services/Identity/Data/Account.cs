using Microsoft.AspNetCore.Identity;

namespace EmsAchse.Identity.Data;

/// <summary>A person who signs in: alliance staff (role admin) or a network manager (one network claim per slug).</summary>
public sealed class Account : IdentityUser
{
    /// <summary>Shown in the tokens' <c>name</c> claim.</summary>
    public string DisplayName { get; set; } = "";
}
