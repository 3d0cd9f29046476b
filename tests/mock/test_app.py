"""The app as a whole: routing, X-Request-ID, the served contract, the 500 safety net."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import httpx
import pytest
import yaml
from starlette.applications import Starlette
from starlette.types import Message

from sequence_contract import spec as _spec
from sequence_contract.mock import create_app
from sequence_contract.mock.app import check_scopes
from sequence_contract.mock.domain import bind_handlers
from sequence_contract.testing import SyncASGITransport
from tests.fixtures.mock import Mock


def test_every_operation_of_the_spec_has_a_handler(mock: Mock) -> None:
    ids = {
        operation["operationId"]
        for item in _spec.load_spec()["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert ids == set(mock.app.state.handlers)


def test_a_spec_operation_without_handler_stops_start_up() -> None:
    document = copy.deepcopy(_spec.load_spec())
    card = document["paths"]["/cards/{id}"]
    card["post"] = {**card["get"], "operationId": "freezeCard"}
    with pytest.raises(RuntimeError, match="does not serve: \\['freezeCard'\\]"):
        bind_handlers(["getAccount", "freezeCard"])


def test_start_up_refuses_a_spec_operation_missing_from_the_table(tmp_path: Path) -> None:
    document = copy.deepcopy(_spec.load_spec())
    card = document["paths"]["/cards/{id}"]
    card["post"] = {**card["get"], "operationId": "freezeCard"}
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"\['freezeCard'\] \(add them to HANDLERS"):
        create_app(spec=spec)


def test_a_scope_no_key_can_hold_stops_start_up() -> None:
    document = copy.deepcopy(_spec.load_spec())
    document["paths"]["/rules"]["post"]["x-required-scope"] = "unknown"
    message = (
        r"^createRule: openapi\.yaml gives no x-required-scope a key can hold \(got 'unknown'\)$"
    )
    with pytest.raises(RuntimeError, match=message):
        check_scopes(_spec.Spec(document))


def test_the_scope_a_key_needs_is_the_specs(tmp_path: Path) -> None:
    """In a copy of the spec getAccount requires READ_TRANSFERS: the key that may only read two
    accounts' transfers now reads one of those accounts, and the one-pod key no longer does."""
    document = copy.deepcopy(_spec.load_spec())
    document["paths"]["/accounts/{id}"]["get"]["x-required-scope"] = "READ_TRANSFERS"
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")

    def statuses(app: Starlette) -> dict[str, int]:
        found = {}
        for key in ("demo-transfer-capped", "demo-readonly"):
            with httpx.Client(
                base_url="http://mock.test/api/v1",
                headers={"Authorization": f"ApiKey {key}"},
                transport=SyncASGITransport(app),
            ) as client:
                found[key] = client.get("/accounts/acc_01HGHI7890").status_code
        return found

    assert statuses(create_app()) == {"demo-transfer-capped": 403, "demo-readonly": 200}
    assert statuses(create_app(spec=spec)) == {"demo-transfer-capped": 200, "demo-readonly": 200}


def test_an_operation_without_a_scope_stops_start_up(tmp_path: Path) -> None:
    document = copy.deepcopy(_spec.load_spec())
    del document["paths"]["/accounts/{id}"]["get"]["x-required-scope"]
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"getAccount: openapi\.yaml gives no x-required-scope"):
        create_app(spec=spec)


def test_request_id_is_echoed_in_header_and_body(api: httpx.Client) -> None:
    response = api.get("/accounts", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    assert response.json()["request_id"] == "trace-42"


def test_request_id_is_generated_when_absent(api: httpx.Client) -> None:
    first, second = api.get("/accounts"), api.get("/accounts")
    generated = first.headers["X-Request-ID"]
    assert generated.startswith("req_")
    assert len(generated) == 30
    assert first.json()["request_id"] == generated
    assert second.headers["X-Request-ID"] != generated


def test_errors_carry_the_request_id_header_but_not_in_the_body(mock: Mock) -> None:
    response = mock.client(None).get("/accounts", headers={"X-Request-ID": "abc"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "abc"
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "Missing or invalid API key."}
    }


def test_an_invalid_request_id_is_replaced_and_rejected(mock: Mock, api: httpx.Client) -> None:
    response = api.get("/accounts", headers={"X-Request-ID": "has space"})
    assert response.status_code == 400
    assert "X-Request-ID" in response.json()["error"]["message"]
    assert response.headers["X-Request-ID"].startswith("req_")
    mock.conforms("listAccounts", response)


def test_unknown_path_is_a_404_envelope(api: httpx.Client) -> None:
    for path in ("/nope", "/accounts/acc_1/extra", "http://mock.test/elsewhere"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert response.headers["X-Request-ID"]


def test_a_path_with_an_encoded_newline_still_gets_the_envelope(api: httpx.Client) -> None:
    """Found by the contract suite: Starlette's catch-all stops at a decoded newline."""
    unknown = api.get("/nope%0Aline")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert unknown.headers["X-Request-ID"]
    bad_id = api.delete("/rules/rule_1%0Ab")
    assert bad_id.status_code == 400
    assert bad_id.json()["error"]["code"] == "bad_request"
    assert bad_id.headers["X-Request-ID"]


def test_unsupported_method_is_405_with_allow(api: httpx.Client) -> None:
    for method, path, allow in [
        ("DELETE", "/accounts", "GET"),
        ("PATCH", "/rules/rule_01HXYZ1234", "DELETE, GET, PUT"),
        ("GET", "/rules/rule_01HXYZ1234/trigger", "POST"),
        ("OPTIONS", "/transfers", "GET, POST"),
    ]:
        response = api.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.headers["Allow"] == allow
        assert response.json()["error"]["code"] == "method_not_allowed"


def test_routing_comes_before_authentication(mock: Mock) -> None:
    anonymous = mock.client(None)
    assert anonymous.get("/nope").status_code == 404
    assert anonymous.delete("/accounts").status_code == 405
    assert anonymous.get("/accounts").status_code == 401


def test_the_contract_is_served_pointing_at_the_mock(api: httpx.Client) -> None:
    for url in ("http://mock.test/openapi.json", "/openapi.json"):
        served = api.get(url).json()
        assert served["servers"] == [{"url": "/api/v1", "description": "This mock."}]
        assert served["paths"].keys() == _spec.load_spec()["paths"].keys()


def test_an_unexpected_exception_is_a_500_envelope(
    mock: Mock, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(call: object) -> object:
        raise ZeroDivisionError("bug")

    monkeypatch.setitem(mock.app.state.handlers, "listAccounts", explode)
    monkeypatch.setattr("sequence_contract.mock.http._pipeline.LOG.disabled", True)
    response = api.get("/accounts", headers={"X-Request-ID": "r1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "r1"
    assert response.json()["error"]["code"] == "internal_server_error"
    mock.conforms("listAccounts", response)
    assert api.get("/rules").status_code == 200  # still serving


def test_apps_do_not_share_state() -> None:
    first, second = create_app(), create_app()
    assert first.state.store is not second.state.store
    first.state.store.accounts.clear()
    assert second.state.store.accounts


def test_a_client_leaving_mid_body_is_not_a_server_error(mock: Mock) -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/transfers",
        "raw_path": b"/api/v1/transfers",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", b"ApiKey demo-all"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(mock.app(scope, receive, send))
    assert sent[0]["status"] == 400
