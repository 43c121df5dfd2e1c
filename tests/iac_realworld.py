"""Which ../shared/realworld-templates files each ../shared/realworld-meshes file was converted
from, and the parameters its `notes` and `invented` name: loading those templates must give the
state its calls give. `before` counts the leading calls made outside the templates (a mesh the
blog creates elsewhere); `calls` counts the calls that came from the templates (later README
steps, Update* from CLI spec files, are not in them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[1].parent / "shared" / "realworld-templates"
EX = "aws-app-mesh-examples/"
WT = EX + "walkthroughs/"
CDK = "aws-cdk/packages/@aws-cdk-testing/framework-integ/test/aws-appmesh/test/"
ACCOUNT = "123456789012"
ACM = "arn:aws:acm:us-east-1:123456789012:certificate/"
PCA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/"


@dataclass
class Converted:
    mesh_file: str
    templates: list[str]
    parameters: dict[str, Any] = field(default_factory=dict)
    calls: int | None = None  # None: every call
    before: int = 0


def _ipv6(kind: str, variant: str) -> Converted:
    return Converted(f"ex-howto-ipv6-{kind}-{variant}.json",
                     [f"{WT}howto-ipv6/{kind}/mesh/{variant}.yaml"],
                     {"AppMeshMeshName": f"app-mesh-ipv6-{kind}-mesh",
                      "ProjectName": "app-mesh-ipv6"})


COLORAPP = {"AppMeshMeshName": "appmesh-mesh", "ServicesDomain": "demo.local",
            "EnvironmentName": "colorapp"}

# GetAtt <Cloud Map service>.Name: the registry's Name property (as in the converted calls)
REGISTRIES = {"DJAppServiceRegistry.Name": "djapp", "JazzServiceRegistry.Name": "jazz",
              "MetalServiceRegistry.Name": "metal"}

CONVERTED = [
    Converted("cdk-integ-mesh.json", [CDK + "integ.mesh.js.snapshot/mesh-stack.template.json"]),
    Converted("cdk-integ-mesh-port-match.json",
              [CDK + "integ.mesh-port-match.js.snapshot/mesh-stack.template.json"]),
    Converted("ex-blog-ecs-cross-account.json",
              [EX + "blogs/ecs-cross-account/account_backend/appmesh_resources.yml",
               EX + "blogs/ecs-cross-account/account_frontend/appmesh_resources.yml"],
              {"MeshOwner": ACCOUNT}, before=1),
    Converted("ex-blog-ecs-ec2-crossvpc-with-tls.json",
              [EX + "blogs/ecs-ec2-crossvpc-with-tls/mesh.yml"],
              {"RootCA": PCA + "5a6b7c8d-9e0f-1a2b-3c4d-5e6f7a8b9c0d",
               "AppMeshCert": ACM + "6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e",
               "EXTLB": "frontend-extlb-1234567890.us-east-1.elb.amazonaws.com"}),
    Converted("ex-colorapp-ecs.json",
              [EX + "examples/infrastructure/appmesh-mesh.yaml",
               EX + "examples/apps/colorapp/servicemesh/appmesh-colorapp.yaml"],
              COLORAPP, calls=11),
    Converted("ex-fargate-colorapp.json",
              [EX + "examples/infrastructure/appmesh-mesh.yaml",
               WT + "fargate/appmesh-colorapp.yaml"], COLORAPP),
    Converted("ex-howto-alb.json", [WT + "howto-alb/infra.yaml", WT + "howto-alb/app.yaml"],
              {"ProjectName": "howto-alb", "BackendV2ServiceRegistry.Name": "backend-v2",
               "BackendV1LoadBalancer.DNSName":
                   "internal-howto-alb-backend-v1-1234567890.us-east-1.elb.amazonaws.com",
               "BackendRecordSet": "backend.howto-alb.hosted.local",
               "PublicLoadBalancer.DNSName":
                   "howto-alb-public-1234567890.us-east-1.elb.amazonaws.com"}),
    Converted("ex-howto-cross-account.json",
              [WT + "howto-cross-account/primary-account/mesh.yaml",
               WT + "howto-cross-account/secondary-account/mesh.yaml"],
              {"ProjectName": "howto-cross-account", "MeshName": "howto-cross-account-mesh",
               "MeshOwner": ACCOUNT}, calls=8),
    Converted("ex-howto-ecs-basics.json", [WT + "howto-ecs-basics/deploy/3-routing.yaml"],
              {"ProjectName": "howto-ecs-basics", "ColorServiceRegistry.Name": "color",
               "PublicLoadBalancer.DNSName":
                   "howto-Publi-1ABCDEF2345-1234567890.us-east-1.elb.amazonaws.com"}),
    Converted("ex-howto-external-traffic.json", [WT + "howto-external-traffic/mesh/mesh.yaml"],
              {"MeshName": "ColorApp-External-Traffic",
               "ServicesDomain": "default.svc.cluster.local"}),
    Converted("ex-howto-grpc-ingress-gateway.json", [WT + "howto-grpc-ingress-gateway/mesh.yaml"],
              {"ProjectName": "howto-grpc-ingress-gateway"}),
    Converted("ex-howto-grpc.json", [WT + "howto-grpc/mesh.yaml"],
              {"ProjectName": "howto-grpc"}, calls=6),
    Converted("ex-howto-http-headers.json", [WT + "howto-http-headers/app.yaml"],
              {"ProjectName": "howto-http-headers"}, calls=18),
    Converted("ex-howto-http-retries.json", [WT + "howto-http-retries/app.yaml"],
              {"ProjectName": "howto-http-retries"}, calls=6),
    Converted("ex-howto-http2.json", [WT + "howto-http2/mesh.yaml"],
              {"ProjectName": "howto-http2"}, calls=8),
    *(_ipv6(kind, variant) for kind in ("cloud", "dns")
      for variant in ("custom-preference", "mesh-v6-only", "override-mesh-preference")),
    Converted("ex-howto-metrics-extension-ecs.json",
              [WT + "howto-metrics-extension-ecs/deploy/djapp-v1.yaml"],
              {"ProjectName": "howto-metrics-extension", **REGISTRIES}),
    Converted("ex-howto-mtls-by-acm.json",
              [WT + "howto-mutual-tls-file-provided-by-acm/infrastructure/mesh.yaml"],
              {"mtls-ec2-appmesh-example:AcmPcaColorTellerRootCAArn":
                   PCA + "9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
               "mtls-ec2-appmesh-example:AcmPcaColorTellerEndpointCertArn":
                   ACM + "8d7c6b5a-4f3e-4d2c-8b1a-0f9e8d7c6b5a"}),
    Converted("ex-howto-servicediscovery-cloudmap.json",
              [WT + "howto-servicediscovery-cloudmap/mesh.yaml"],
              {"AWS::StackName": "demo-mesh"}),
    Converted("ex-howto-tls-file-provided.json", [WT + "howto-tls-file-provided/mesh/mesh.yaml"],
              {"MeshName": "ColorApp-TLS", "ServicesDomain": "default.svc.cluster.local",
               "EnableClientValidationFlag": "false"}),
    Converted("ex-tls-with-acm.json", [WT + "tls-with-acm/mesh/mesh.yaml"],
              {"MeshName": "ColorApp-TLS", "ServicesDomain": "default.svc.cluster.local",
               "CertificateArn": ACM + "0d6a4a5b-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
               "CertificateAuthorityArn": PCA + "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}),
]
