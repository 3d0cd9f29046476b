"""Real traffic as contract evidence: response checks for the client, a proxy and recordings.

``conformance().check(...)`` turns one response into ``Violation`` records; the proxy
(``sequence-contract proxy``) and ``sequence-contract validate`` apply it to any client's
traffic and to recorded files.
"""

from .._violation import INFO, VIOLATION, Violation
from ._conformance import Conformance, conformance
from ._fingerprints import FINGERPRINTS, Fingerprint

__all__ = [
    "FINGERPRINTS",
    "INFO",
    "VIOLATION",
    "Conformance",
    "Fingerprint",
    "Violation",
    "conformance",
]
