using System.Net.Http.Json;
using System.Text;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Tests;

/// <summary>Request helpers with the API's JSON conventions.</summary>
internal static class Http
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, CoordinatorJson.Options);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
}
