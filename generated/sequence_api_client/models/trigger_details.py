from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerDetails")


@_attrs_define
class TriggerDetails:
    type_: str
    """ As the execution's `trigger_type`. """
    amount_in_cents: int | None | Unset = UNSET
    scheduled_time: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        amount_in_cents: int | None | Unset
        if isinstance(self.amount_in_cents, Unset):
            amount_in_cents = UNSET
        else:
            amount_in_cents = self.amount_in_cents

        scheduled_time: None | str | Unset
        if isinstance(self.scheduled_time, Unset):
            scheduled_time = UNSET
        elif isinstance(self.scheduled_time, datetime.datetime):
            scheduled_time = self.scheduled_time.isoformat()
        else:
            scheduled_time = self.scheduled_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if amount_in_cents is not UNSET:
            field_dict["amount_in_cents"] = amount_in_cents
        if scheduled_time is not UNSET:
            field_dict["scheduled_time"] = scheduled_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        def _parse_amount_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_in_cents = _parse_amount_in_cents(d.pop("amount_in_cents", UNSET))

        def _parse_scheduled_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_time_type_0 = datetime.datetime.fromisoformat(data)

                return scheduled_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_time = _parse_scheduled_time(d.pop("scheduled_time", UNSET))

        trigger_details = cls(
            type_=type_,
            amount_in_cents=amount_in_cents,
            scheduled_time=scheduled_time,
        )

        trigger_details.additional_properties = d
        return trigger_details

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
