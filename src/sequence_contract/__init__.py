"""sequence-contract: the Sequence API contract, its typed client layer and its stateful mock."""

__all__: list[str] = []
