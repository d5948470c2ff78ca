"""A short-lived cache of resolved tokens, so a busy kiosk or board costs one
database look-up per token every few seconds instead of one per request.

Signing out evicts the token at once in this process; other server processes
forget it within ``ttl`` seconds, as they do a deactivated device.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from server.store.accounts import Principal


class PrincipalCache:
    def __init__(self, *, ttl: float = 5.0, size: int = 2048) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        with self._lock:
            item = self._items.get(token)
            if item is None or item[0] < time.monotonic():
                return None
            return item[1]

    def put(self, token: str, principal: Principal) -> None:
        with self._lock:
            self._items[token] = (time.monotonic() + self.ttl, principal)
            self._items.move_to_end(token)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def evict(self, token: str) -> None:
        with self._lock:
            self._items.pop(token, None)

    def evict_principal(self, *, user_id: int | None = None, device_id: int | None = None) -> None:
        """Forget every cached token of this user or device in this process
        (sign-out everywhere, disabled account, revoked device)."""
        with self._lock:
            for token, (_, principal) in list(self._items.items()):
                if (user_id is not None and principal.user_id == user_id) or (
                    device_id is not None and principal.device_id == device_id
                ):
                    del self._items[token]
