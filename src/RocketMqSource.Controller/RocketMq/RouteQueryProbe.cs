using System.Security.Cryptography.X509Certificates;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>The real check: one QueryRoute with the source's endpoints, namespace, TLS settings and credentials.</summary>
/// <param name="timeout">Deadline of the query (default 5 s: a reconcile worker waits for it).</param>
internal sealed class RouteQueryProbe(TimeSpan? timeout = null) : IRocketMqProbe
{
    private readonly TimeSpan deadline = timeout ?? TimeSpan.FromSeconds(5);

    public async Task<int> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var builder = new ClientConfig.Builder()
            .SetEndpoints(target.Endpoints)
            .SetNamespace(target.Namespace)
            .EnableSsl(target.Tls)
            .SetRequestTimeout(deadline);
        if (!string.IsNullOrEmpty(target.AccessKey) && !string.IsNullOrEmpty(target.SecretKey))
        {
            builder.SetCredentialsProvider(new StaticSessionCredentialsProvider(target.AccessKey, target.SecretKey, target.SecurityToken));
        }

        X509Certificate2Collection? certificates = null;
        if (!string.IsNullOrWhiteSpace(target.CaCertPem))
        {
            certificates = [];
            certificates.ImportFromPem(target.CaCertPem);
            foreach (var certificate in certificates)
            {
                builder.AddTrustedCertificate(certificate);
            }
        }

        try
        {
            return await TopicRouteCheck.QueryAsync(builder.Build(), target.Topic, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var certificate in certificates ?? [])
            {
                certificate.Dispose();
            }
        }
    }
}
