"""TLS: a listener's certificate and peer validation [M ListenerTls], and a caller's policy
for its backends [M ClientPolicyTls], as Envoy TLS contexts.

File certificates are read from the paths given; SDS secrets [M ListenerTlsSdsCertificate]
come from the SDS agent socket App Mesh's Envoy image was pointed at
(`APPMESH_SDS_SOCKET_PATH` [UG envoy-config]); ACM certificates, which App Mesh delivered
itself, are asked of the same SDS source under their ARN [I].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import TLS_DOWN, TLS_UP, Obj, http2_options

SDS_CLUSTER = "appmesh_sds"
SDS_SOCKET = "/run/spire/sockets/agent.sock"  # [UG envoy-config] APPMESH_SDS_SOCKET_PATH


def sds_cluster() -> Obj:
    return {
        "name": SDS_CLUSTER,
        "connect_timeout": "1s",
        "typed_extension_protocol_options": http2_options(),
        "load_assignment": {
            "cluster_name": SDS_CLUSTER,
            "endpoints": [
                {"lb_endpoints": [{"endpoint": {"address": {"pipe": {"path": SDS_SOCKET}}}}]}
            ],
        },
    }


def _sds(name: str) -> Obj:
    return {
        "name": name,
        "sds_config": {
            "resource_api_version": "V3",
            "api_config_source": {
                "api_type": "GRPC",
                "transport_api_version": "V3",
                "grpc_services": [{"envoy_grpc": {"cluster_name": SDS_CLUSTER}}],
            },
        },
    }


def uses_sds(tls: Mapping[str, Any]) -> bool:
    text = str(tls)
    return "'sds'" in text or "'acm'" in text


def _common(tls: Mapping[str, Any]) -> Obj:
    context: Obj = {}
    certificate = tls.get("certificate") or {}
    if "file" in certificate:
        context["tls_certificates"] = [
            {
                "certificate_chain": {"filename": str(certificate["file"]["certificateChain"])},
                "private_key": {"filename": str(certificate["file"]["privateKey"])},
            }
        ]
    elif "sds" in certificate:
        context["tls_certificate_sds_secret_configs"] = [_sds(certificate["sds"]["secretName"])]
    elif "acm" in certificate:
        context["tls_certificate_sds_secret_configs"] = [
            _sds(str(certificate["acm"]["certificateArn"]))
        ]
    validation = tls.get("validation") or {}
    trust = validation.get("trust") or {}
    checks: Obj = {}
    names = ((validation.get("subjectAlternativeNames") or {}).get("match") or {}).get("exact")
    if names:
        # [M SubjectAlternativeNameMatchers.exact] any one of the names.
        checks["match_typed_subject_alt_names"] = [
            {"san_type": "DNS", "matcher": {"exact": str(name)}} for name in names
        ]
    if "file" in trust:
        checks["trusted_ca"] = {"filename": str(trust["file"]["certificateChain"])}
        context["validation_context"] = checks
    elif "sds" in trust or "acm" in trust:
        secret = (
            str(trust["sds"]["secretName"])
            if "sds" in trust
            else ",".join(trust["acm"]["certificateAuthorityArns"])
        )
        context["combined_validation_context"] = {
            "default_validation_context": checks,
            "validation_context_sds_secret_config": _sds(secret),
        }
    elif checks:
        context["validation_context"] = checks
    return context


def downstream_tls(tls: Mapping[str, Any]) -> Obj:
    """[M ListenerTls] the listener's certificate; with validation, clients must present one
    (mutual TLS [UG mutual-tls.md])."""
    context: Obj = {"@type": TLS_DOWN, "common_tls_context": _common(tls)}
    if tls.get("validation"):
        context["require_client_certificate"] = True
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}


def upstream_tls(tls: Mapping[str, Any]) -> Obj:
    context = {"@type": TLS_UP, "common_tls_context": _common(tls)}
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}
