"""A name-keyed collection listed in creation order, with pages that seek in O(log n)."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Sequenced(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=Sequenced)


class Pageable(Protocol[T]):
    def page(self, after_seq: int, limit: int) -> tuple[list[T], bool]: ...


class Collection(Generic[T]):
    __slots__ = ("_by_name", "_by_seq", "_seqs")

    def __init__(self) -> None:
        self._by_name: dict[str, T] = {}
        self._by_seq: dict[int, T] = {}
        self._seqs: list[int] = []

    def __len__(self) -> int:
        return len(self._by_name)

    def __iter__(self) -> Iterator[T]:
        return iter(self._by_name.values())

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> T | None:
        return self._by_name.get(name)

    def add(self, item: T) -> None:
        self._by_name[item.name] = item
        self._by_seq[item.seq] = item
        insort(self._seqs, item.seq)

    def remove(self, name: str) -> T | None:
        item = self._by_name.pop(name, None)
        if item is not None:
            del self._by_seq[item.seq]
            index = bisect_right(self._seqs, item.seq) - 1
            del self._seqs[index]
        return item

    def page(self, after_seq: int, limit: int) -> tuple[list[T], bool]:
        """Up to `limit` items created after `after_seq`, and whether more follow."""
        start = bisect_right(self._seqs, after_seq)
        seqs = self._seqs[start : start + limit]
        more = start + limit < len(self._seqs)
        return [self._by_seq[s] for s in seqs], more


class Snapshot(Generic[T]):
    """Items already in creation order, paged like a Collection (for merged listings)."""

    __slots__ = ("_items", "_seqs")

    def __init__(self, items: list[T]) -> None:
        self._items = sorted(items, key=lambda item: item.seq)
        self._seqs = [item.seq for item in self._items]

    def page(self, after_seq: int, limit: int) -> tuple[list[T], bool]:
        start = bisect_right(self._seqs, after_seq)
        return self._items[start : start + limit], start + limit < len(self._items)


class Merged(Generic[T]):
    """Creation-ordered parts listed as one: a page takes at most `limit` items after the
    token from each part and merges those, never the whole of any part."""

    __slots__ = ("_parts",)

    def __init__(self, parts: list[Pageable[T]]) -> None:
        self._parts = parts

    def page(self, after_seq: int, limit: int) -> tuple[list[T], bool]:
        found: list[T] = []
        more = False
        for part in self._parts:
            items, part_more = part.page(after_seq, limit)
            found.extend(items)
            more = more or part_more
        found.sort(key=lambda item: item.seq)
        return found[:limit], more or len(found) > limit
