using System.Net;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo.Tests;

[Trait("Category", "Unit")]
public sealed class CoordinatorClientTests
{
    [Fact]
    public async Task Server_errors_are_retried_until_success()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var client = Client(handler);
        await client.FailAsync("s", "t", 1, "x", CancellationToken.None);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Client_errors_are_never_retried()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Conflict, HttpStatusCode.OK);
        var client = Client(handler);
        var error = await Assert.ThrowsAsync<CoordinatorRequestException>(() => client.FailAsync("s", "t", 1, "x", CancellationToken.None));
        Assert.True(error.IsConflict);
        Assert.Contains("stale", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_token()
    {
        var handler = new ScriptedHandler(HttpStatusCode.OK);
        await Client(handler).FailAsync("s", "t", 1, "x", CancellationToken.None);
        Assert.Equal("Bearer silo-secret-token-0123", handler.LastAuthorization);
    }

    private static CoordinatorClient Client(ScriptedHandler handler) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("http://coordinator.test/") }, "silo-secret-token-0123",
            new CoordinatorClientOptions { MaxRetries = 4, RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) });

    private sealed class ScriptedHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        public string? LastAuthorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastAuthorization = request.Headers.Authorization?.ToString();
            var status = answers[Math.Min(Calls, answers.Length - 1)];
            Calls++;
            return Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent(status == HttpStatusCode.OK ? "{}" : """{"detail":"attempt is stale"}"""),
            });
        }
    }
}
