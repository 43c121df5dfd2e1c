"""Who shares a mesh with whom: the arguments of `share_mesh` / `unshare_mesh`."""

from __future__ import annotations

import warnings

from .identity import default_region


def parties(
    legacy: tuple[str, ...],
    *,
    owner_account_id: str | None = None,
    consumer_account_id: str | None = None,
    region: str | None = None,
) -> tuple[str, str, str]:
    """(owner, consumer, region) of a share; the old positional form still works, warned."""
    owner, consumer = owner_account_id, consumer_account_id
    if legacy:
        if len(legacy) not in (2, 3) or owner or consumer or (region and len(legacy) == 3):
            raise TypeError("share_mesh(mesh_name, *, owner_account_id, consumer_account_id)")
        warnings.warn(
            "pass owner_account_id= and consumer_account_id= by keyword: the positional "
            "form is deprecated (two account IDs are easy to swap)",
            DeprecationWarning,
            stacklevel=3,
        )
        owner, consumer = legacy[:2]
        region = legacy[2] if len(legacy) == 3 else region
    if not owner or not consumer:
        raise TypeError("share_mesh needs owner_account_id= and consumer_account_id=")
    return owner, consumer, region or default_region()
