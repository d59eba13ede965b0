"""The tests' way past the session facade into the vault it holds open (core.session.context).

The front ends never do this: raw SQL and transactions are not part of ``Session``. Tests use it to look
at what is really stored (ciphertext, rows, pragmas) and to set up states a user cannot reach.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.session import Session
from core.session.context import VaultContext

T = TypeVar("T")


def vault_context(session: Session) -> VaultContext:
    """The context the session's desks share: open database and keys, clock, audit."""
    return session._ctx


def vault_query(session: Session, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Raw SQL on the open vault."""
    return vault_context(session).query(sql, params)


def in_transaction(session: Session, fn: Callable[[Any], T]) -> T:
    """``fn(conn)`` in one transaction of the open vault."""
    return vault_context(session).transaction(fn)
