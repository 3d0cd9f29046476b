from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TransferParty")


@_attrs_define
class TransferParty:
    id: None | str
    """ Account id; null for an external entity. """
    name: str
    """ "Unknown" when it cannot be resolved. """
    type_: str
    """ `income_source` and `pod` are documented; `external_account` is our choice and
    `external_entity` is filled.
     """
    is_deleted: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str
        id = self.id

        name = self.name

        type_ = self.type_

        is_deleted: bool | None | Unset
        if isinstance(self.is_deleted, Unset):
            is_deleted = UNSET
        else:
            is_deleted = self.is_deleted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
            }
        )
        if is_deleted is not UNSET:
            field_dict["is_deleted"] = is_deleted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

        name = d.pop("name")

        type_ = d.pop("type")

        def _parse_is_deleted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_deleted = _parse_is_deleted(d.pop("is_deleted", UNSET))

        transfer_party = cls(
            id=id,
            name=name,
            type_=type_,
            is_deleted=is_deleted,
        )

        transfer_party.additional_properties = d
        return transfer_party

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
