from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transfer_direction import TransferDirection, check_transfer_direction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transfer_party import TransferParty


T = TypeVar("T", bound="Transfer")


@_attrs_define
class Transfer:
    id: str
    """ Transfer id (`txr_` prefix). """
    amount_in_cents: int
    direction: TransferDirection
    origin: str
    """ Where the transfer came from; an open set, see `x-known-values` (`unknown` is filled). """
    status: str
    """ Transfer status; an open set. `pending_approval`, `processing`, `pending` and
    `complete` are documented; `incomplete`, `error` and `cancelled` are filled.
     """
    source: None | TransferParty
    """ Sending party; null for an untracked outside sender. """
    destination: None | TransferParty
    """ Receiving party; null for an external pull (ATM, merchant). """
    rule_id: None | str | Unset = UNSET
    """ Set when the origin is `rule`. """
    rule_execution_id: None | str | Unset = UNSET
    """ Set when the origin is `rule`. """
    error_code: None | str | Unset = UNSET
    """ Why an `error` or `incomplete` transfer failed; an open set. """
    description: None | str | Unset = UNSET
    """ ACH label given at creation. """
    created_at: datetime.datetime | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.transfer_party import TransferParty  # noqa: PLC0415

        id = self.id

        amount_in_cents = self.amount_in_cents

        direction: str = self.direction

        origin = self.origin

        status = self.status

        source: dict[str, Any] | None
        if isinstance(self.source, TransferParty):
            source = self.source.to_dict()
        else:
            source = self.source

        destination: dict[str, Any] | None
        if isinstance(self.destination, TransferParty):
            destination = self.destination.to_dict()
        else:
            destination = self.destination

        rule_id: None | str | Unset
        if isinstance(self.rule_id, Unset):
            rule_id = UNSET
        else:
            rule_id = self.rule_id

        rule_execution_id: None | str | Unset
        if isinstance(self.rule_execution_id, Unset):
            rule_execution_id = UNSET
        else:
            rule_execution_id = self.rule_execution_id

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "amount_in_cents": amount_in_cents,
                "direction": direction,
                "origin": origin,
                "status": status,
                "source": source,
                "destination": destination,
            }
        )
        if rule_id is not UNSET:
            field_dict["rule_id"] = rule_id
        if rule_execution_id is not UNSET:
            field_dict["rule_execution_id"] = rule_execution_id
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if description is not UNSET:
            field_dict["description"] = description
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transfer_party import TransferParty  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        amount_in_cents = d.pop("amount_in_cents")

        direction = check_transfer_direction(d.pop("direction"))

        origin = d.pop("origin")

        status = d.pop("status")

        def _parse_source(data: object) -> None | TransferParty:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = TransferParty.from_dict(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferParty, data)

        source = _parse_source(d.pop("source"))

        def _parse_destination(data: object) -> None | TransferParty:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                destination_type_0 = TransferParty.from_dict(data)

                return destination_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferParty, data)

        destination = _parse_destination(d.pop("destination"))

        def _parse_rule_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rule_id = _parse_rule_id(d.pop("rule_id", UNSET))

        def _parse_rule_execution_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rule_execution_id = _parse_rule_execution_id(d.pop("rule_execution_id", UNSET))

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("error_code", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        transfer = cls(
            id=id,
            amount_in_cents=amount_in_cents,
            direction=direction,
            origin=origin,
            status=status,
            source=source,
            destination=destination,
            rule_id=rule_id,
            rule_execution_id=rule_execution_id,
            error_code=error_code,
            description=description,
            created_at=created_at,
            completed_at=completed_at,
        )

        transfer.additional_properties = d
        return transfer

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
