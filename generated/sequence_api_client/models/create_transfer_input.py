from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateTransferInput")


@_attrs_define
class CreateTransferInput:
    source_account_id: str
    """ Account id (`acc_` prefix). """
    destination_account_id: str
    """ Account id (`acc_` prefix). """
    amount_in_cents: int
    """ Amount in cents; at least 100 ($1.00). """
    description: str | Unset = UNSET
    """ ACH label the recipient sees; letters, digits and spaces. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source_account_id = self.source_account_id

        destination_account_id = self.destination_account_id

        amount_in_cents = self.amount_in_cents

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source_account_id": source_account_id,
                "destination_account_id": destination_account_id,
                "amount_in_cents": amount_in_cents,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source_account_id = d.pop("source_account_id")

        destination_account_id = d.pop("destination_account_id")

        amount_in_cents = d.pop("amount_in_cents")

        description = d.pop("description", UNSET)

        create_transfer_input = cls(
            source_account_id=source_account_id,
            destination_account_id=destination_account_id,
            amount_in_cents=amount_in_cents,
            description=description,
        )

        create_transfer_input.additional_properties = d
        return create_transfer_input

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
