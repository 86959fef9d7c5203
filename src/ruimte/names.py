# SPDX-License-Identifier: Apache-2.0
"""Names are for people; keys are for the store.

A scenario or dataset may be called ``"Variant A-2 (noord)"`` or ``"audit-tak"``.
Result keys, GeoPackage layer names and raster file names must be plain
``a-z0-9_``. :func:`key_part` derives one from the other, the same way in the
CLI, the studio and the analyses:

- a name that is a clean key already (``basis``, ``ambitie``) stays as it is,
  so keys stored before keep working;
- any other name becomes its accent-free lower-case words joined by ``_``,
  plus six hex digits of its SHA-1, so ``"A-2"`` and ``"A 2"`` never meet.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CLEAN = re.compile(r"^[a-z][a-z0-9_]*$")
#: room left in a 63-character key for a prefix (``conflicts_``) and a layer suffix
MAX_PART = 32


def key_part(name: str, *, max_len: int = MAX_PART) -> str:
    """Return a store-safe, unique key fragment for a display name.

    Parameters
    ----------
    name : str
        A name as people write it (spaces, hyphens, accents, any case).
    max_len : int
        Longest fragment returned.

    Returns
    -------
    str
        ``a-z0-9_`` only, starting with a letter, at most ``max_len`` long.

    Examples
    --------
    >>> key_part("basis")
    'basis'
    >>> key_part("Variant A-2 (noord)")
    'variant_a_2_noord_1a5d9a'
    >>> key_part("audit-tak") != key_part("audit tak")
    True
    """
    if _CLEAN.match(name) and len(name) <= max_len:
        return name
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not slug or not slug[0].isalpha():
        slug = ("s_" + slug).rstrip("_")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{slug[: max_len - 7].rstrip('_')}_{digest}"
