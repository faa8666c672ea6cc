namespace RocketMqSource.Controller.Reconciling;

/// <summary>The OIDC service account the adapter requests its sink tokens for (authentication-oidc enabled).</summary>
internal sealed record AdapterIdentity(string OidcServiceAccountName);
