"""Real traffic as contract evidence: a proxy and recordings, judged by ``conformance``.

The proxy (``sequence-contract proxy``) and ``sequence-contract validate`` apply
``conformance().check(...)`` to any client's traffic and to recorded files. The names below are
``sequence_contract.conformance``'s, kept here for code that imported them from this package.
"""

from ..conformance import INFO, VIOLATION, Violation
from ..conformance._checker import Conformance, conformance
from ..conformance._fingerprints import FINGERPRINTS, Fingerprint

__all__ = [
    "FINGERPRINTS",
    "INFO",
    "VIOLATION",
    "Conformance",
    "Fingerprint",
    "Violation",
    "conformance",
]
