"""Every API one dispatcher answers, by API version: App Mesh's two versions and the Resource
Groups Tagging API's one. Versions never collide, so (API version, operation) names one
operation of one service: faults and the call log look operations and errors up here.
"""

from __future__ import annotations

from botocore.model import OperationModel

from .json_rpc import JsonRpcApi, get_json_api
from .models import API_VERSIONS, SERVICE_NAME, Api, get_api

TAGGING_SERVICE = "resourcegroupstaggingapi"
TAGGING_VERSION = "2017-01-26"  # its model's apiVersion (a test checks)
ALL_VERSIONS = (*API_VERSIONS, TAGGING_VERSION)


def api_for(version: str) -> Api | JsonRpcApi:
    """The API of this version (a ValueError for an unknown one)."""
    if version == TAGGING_VERSION:
        return get_json_api(TAGGING_SERVICE)
    return get_api(version)


def service_of(version: str) -> str:
    """The botocore service name an API version belongs to."""
    return TAGGING_SERVICE if version == TAGGING_VERSION else SERVICE_NAME


def operation_model(version: str, operation: str) -> OperationModel:
    return api_for(version).operations[operation]
