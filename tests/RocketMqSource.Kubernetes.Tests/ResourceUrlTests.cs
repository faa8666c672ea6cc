namespace RocketMqSource.Kubernetes.Tests;

public class ResourceUrlTests
{
    [Fact]
    public void CoreNamespacedObject()
    {
        Assert.Equal("/api/v1/namespaces/prod/secrets/creds", ResourceUrl.Path(ResourceType.Secrets, "prod", "creds"));
    }

    [Fact]
    public void GroupedCollectionAndStatusSubresource()
    {
        Assert.Equal("/apis/apps/v1/namespaces/default/deployments", ResourceUrl.Path(ResourceType.Deployments, "default"));
        Assert.Equal("/apis/apps/v1/namespaces/default/deployments/web/status", ResourceUrl.Path(ResourceType.Deployments, "default", "web", "status"));
    }

    [Fact]
    public void AllNamespacesListAndClusterScopedObjects()
    {
        var crds = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", Namespaced: false);
        Assert.Equal("/apis/apps/v1/deployments", ResourceUrl.Path(ResourceType.Deployments, null));
        Assert.Equal("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com", ResourceUrl.Path(crds, "ignored", "x.example.com"));
        Assert.Equal("/api/v1/namespaces/kube-system", ResourceUrl.Path(ResourceType.Namespaces, null, "kube-system"));
    }

    [Fact]
    public void ApiVersionOfCoreAndGroupedTypes()
    {
        Assert.Equal("v1", ResourceType.Secrets.ApiVersion);
        Assert.Equal("coordination.k8s.io/v1", ResourceType.Leases.ApiVersion);
    }

    [Fact]
    public void NamespacedObjectWithoutNamespaceIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ResourceUrl.Path(ResourceType.Deployments, null, "web"));
        Assert.Throws<ArgumentException>(() => ResourceUrl.Path(ResourceType.Deployments, "default", ".."));
    }

    [Fact]
    public void QueryIsEncodedAndSkipsEmptyValues()
    {
        var url = ResourceUrl.WithQuery("/api/v1/pods", ("labelSelector", "app in (a,b),tier!=db"), ("limit", 5), ("continue", null), ("watch", true), ("fieldSelector", ""));
        Assert.Equal("/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29%2Ctier%21%3Ddb&limit=5&watch=true", url);
    }

    [Fact]
    public void SegmentsAreEscaped()
    {
        Assert.Equal("/api/v1/namespaces/a%20b/configmaps/c%2Fd", ResourceUrl.Path(ResourceType.ConfigMaps, "a b", "c/d"));
    }
}
