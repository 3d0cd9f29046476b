"""The examples' pytest setup: the mock's plugin, which gives ``sequence_mock``."""

pytest_plugins = ["sequence_contract.mock.pytest_plugin"]
