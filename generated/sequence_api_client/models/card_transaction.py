from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transfer_party import TransferParty


T = TypeVar("T", bound="CardTransaction")


@_attrs_define
class CardTransaction:
    """A settled card purchase or refund. Every field is filled, so every field is optional."""

    id: str | Unset = UNSET
    card_id: str | Unset = UNSET
    """ Card id (`card_` prefix). """
    card_type: str | Unset = UNSET
    account: TransferParty | Unset = UNSET
    direction: str | Unset = UNSET
    subtype: str | Unset = UNSET
    status: str | Unset = UNSET
    amount_in_cents: int | Unset = UNSET
    description: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    completed_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        card_id = self.card_id

        card_type = self.card_type

        account: dict[str, Any] | Unset = UNSET
        if not isinstance(self.account, Unset):
            account = self.account.to_dict()

        direction = self.direction

        subtype = self.subtype

        status = self.status

        amount_in_cents = self.amount_in_cents

        description = self.description

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if card_id is not UNSET:
            field_dict["card_id"] = card_id
        if card_type is not UNSET:
            field_dict["card_type"] = card_type
        if account is not UNSET:
            field_dict["account"] = account
        if direction is not UNSET:
            field_dict["direction"] = direction
        if subtype is not UNSET:
            field_dict["subtype"] = subtype
        if status is not UNSET:
            field_dict["status"] = status
        if amount_in_cents is not UNSET:
            field_dict["amount_in_cents"] = amount_in_cents
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
        id = d.pop("id", UNSET)

        card_id = d.pop("card_id", UNSET)

        card_type = d.pop("card_type", UNSET)

        _account = d.pop("account", UNSET)
        account: TransferParty | Unset
        if isinstance(_account, Unset):
            account = UNSET
        else:
            account = TransferParty.from_dict(_account)

        direction = d.pop("direction", UNSET)

        subtype = d.pop("subtype", UNSET)

        status = d.pop("status", UNSET)

        amount_in_cents = d.pop("amount_in_cents", UNSET)

        description = d.pop("description", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _completed_at = d.pop("completed_at", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)

        card_transaction = cls(
            id=id,
            card_id=card_id,
            card_type=card_type,
            account=account,
            direction=direction,
            subtype=subtype,
            status=status,
            amount_in_cents=amount_in_cents,
            description=description,
            created_at=created_at,
            completed_at=completed_at,
        )

        card_transaction.additional_properties = d
        return card_transaction

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
