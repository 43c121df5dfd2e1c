"""The private botocore (and aiobotocore, moto) names the in-process path reads, in one place.

None of them is botocore's public API, so any release may rename one. Every reader goes
through this table, and each name has a safe fallback when it is missing (see `self_test`,
which checks them all at the first mock start). A test renames an entry here to see what a
botocore release renaming that name would do, while botocore itself keeps working.
"""

from __future__ import annotations

# Class attributes replaced while a mock is active (see class_patches).
MAKE_REQUEST = "_make_request"  # BaseClient, AioBaseClient: the hand-over to the transport
SEND = "_send"  # Endpoint, AioEndpoint: the last step before a request leaves
SIGN = "sign"  # RequestSigner, AioRequestSigner
# The answer in place of the transport (botocore_client) reads these from an App Mesh client.
REQUEST_SIGNER = "_request_signer"  # client -> its RequestSigner
CREDENTIALS = "_credentials"  # RequestSigner -> the credentials it signs with
ENDPOINT = "_endpoint"  # client -> its Endpoint
PARSER_FACTORY = "_response_parser_factory"  # Endpoint -> the factory of response parsers
EMITTER = "_emitter"  # client.meta.events (an EventAliaser) -> the HierarchicalEmitter
LOOKUP_CACHE = "_lookup_cache"  # HierarchicalEmitter -> {event name: handlers}
HANDLERS = "_handlers"  # HierarchicalEmitter -> the prefix trie of handlers
PREFIX_SEARCH = "prefix_search"  # the trie's lookup of the handlers of one event
SIGNING_CONTEXT = "signing"  # request_dict["context"] -> the signing region, if any
# The transport guard (botocore_transport) reads this from any endpoint.
ENDPOINT_PREFIX = "_endpoint_prefix"  # Endpoint -> "appmesh", "s3", ...
# Where every new botocore session takes its built-in handlers from (botocore.handlers).
BUILTIN_HANDLERS = "BUILTIN_HANDLERS"
# moto's botocore stubber (moto.core.models) and whether `mock_aws` is on.
MOTO_STUBBER = "botocore_stubber"
MOTO_ENABLED = "enabled"


class Missing:
    """What a reader gets for a name that is not there (None may be a real value)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = Missing()
