namespace FhirGateway.AppHost.Tests;

/// <summary>A fact that needs a container engine (Docker or Podman) that answers; skipped with that reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresContainerRuntimeFactAttribute : FactAttribute
{
    public RequiresContainerRuntimeFactAttribute()
    {
        if (!ContainerRuntime.Answers())
        {
            Skip = "Needs Docker: no container runtime answers 'docker info' / 'podman info' on this machine, so container mode cannot start.";
        }
    }
}
