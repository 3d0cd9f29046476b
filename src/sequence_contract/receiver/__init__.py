"""Contract testing a webhook receiver: ``sequence-contract receiver URL`` (``nox -s receiver``).

Schemathesis fuzzes the receiver from openapi.yaml's ``webhooks``, through a derived document
(``derive``) in which each webhook is a POST operation on the receiver's path. A receiver must
acknowledge every valid event (2xx; an unknown event name too, as the set is open), reject a
malformed one with a 4xx (never a 5xx), and accept a replayed ``Webhook-Id`` again.
"""

from ._document import derive
from ._run import receiver_run, run_receiver

__all__ = ["derive", "receiver_run", "run_receiver"]
