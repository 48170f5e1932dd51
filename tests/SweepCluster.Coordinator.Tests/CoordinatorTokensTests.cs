using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Tests;

[Trait("Category", "Unit")]
public sealed class CoordinatorTokensTests
{
    [Fact]
    public void Each_token_grants_its_own_role_and_nothing_else_matches()
    {
        var tokens = new CoordinatorTokens("silo-token-0123456789", "user-token-0123456789");
        Assert.Equal(CoordinatorRoles.Silo, tokens.RoleOf("silo-token-0123456789"));
        Assert.Equal(CoordinatorRoles.User, tokens.RoleOf("user-token-0123456789"));
        Assert.Null(tokens.RoleOf("silo-token-012345678"));
        Assert.Null(tokens.RoleOf(string.Empty));
    }

    [Fact]
    public void Without_a_silo_token_only_the_user_token_grants_a_role()
    {
        var tokens = new CoordinatorTokens(null, "user-token-0123456789");
        Assert.Equal(CoordinatorRoles.User, tokens.RoleOf("user-token-0123456789"));
        Assert.Null(tokens.RoleOf("silo-token-0123456789"));
        Assert.Null(tokens.RoleOf(string.Empty));
    }

    [Fact]
    public void Equal_or_short_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CoordinatorTokens("same-token-0123456789", "same-token-0123456789"));
        Assert.Throws<ArgumentException>(() => new CoordinatorTokens("short", "user-token-0123456789"));
    }

    [Fact]
    public void Tokens_are_read_from_files_when_not_given()
    {
        var directory = Directory.CreateTempSubdirectory("sweepcluster-tokens-");
        try
        {
            var silo = Path.Combine(directory.FullName, "silo");
            var user = Path.Combine(directory.FullName, "user");
            File.WriteAllText(silo, "silo-from-file-0123456789\n");
            File.WriteAllText(user, "user-from-file-0123456789\n");
            var tokens = CoordinatorTokens.Resolve(new CoordinatorHostOptions { SiloTokenFile = silo, UserTokenFile = user });
            Assert.Equal(CoordinatorRoles.Silo, tokens.RoleOf("silo-from-file-0123456789"));
            Assert.Equal(CoordinatorRoles.User, tokens.RoleOf("user-from-file-0123456789"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void New_tokens_are_long_and_different()
    {
        var a = CoordinatorTokens.NewToken();
        Assert.True(a.Length >= CoordinatorTokens.MinimumLength);
        Assert.NotEqual(a, CoordinatorTokens.NewToken());
    }
}
