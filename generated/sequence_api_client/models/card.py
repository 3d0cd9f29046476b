from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.card_status import CardStatus, check_card_status
from ..models.card_type import CardType, check_card_type

T = TypeVar("T", bound="Card")


@_attrs_define
class Card:
    id: str
    """ Card id (`card_` prefix). """
    type_: CardType
    status: CardStatus
    last_four: str
    holder_name: str
    expiration_date: str
    """ MM/YY. """
    account_id: str
    """ Account id (`acc_` prefix). """
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str = self.type_

        status: str = self.status

        last_four = self.last_four

        holder_name = self.holder_name

        expiration_date = self.expiration_date

        account_id = self.account_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "last_four": last_four,
                "holder_name": holder_name,
                "expiration_date": expiration_date,
                "account_id": account_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = check_card_type(d.pop("type"))

        status = check_card_status(d.pop("status"))

        last_four = d.pop("last_four")

        holder_name = d.pop("holder_name")

        expiration_date = d.pop("expiration_date")

        account_id = d.pop("account_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        card = cls(
            id=id,
            type_=type_,
            status=status,
            last_four=last_four,
            holder_name=holder_name,
            expiration_date=expiration_date,
            account_id=account_id,
            created_at=created_at,
        )

        card.additional_properties = d
        return card

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
