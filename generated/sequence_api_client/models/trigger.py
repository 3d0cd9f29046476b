from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_trigger_type import RuleTriggerType, check_rule_trigger_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Trigger")


@_attrs_define
class Trigger:
    """What starts the rule. One tolerant object for every trigger type: `account_id` for
    `ON_FUNDS_TRANSFERRED` (account watched for incoming funds) and `MANUAL` (default source);
    `schedule_type` and `start_date` for `SCHEDULED`.

    """

    type_: RuleTriggerType
    account_id: None | str | Unset = UNSET
    """ Account watched for funds, or the default source; null on scheduled rules whose actions name their sources.
    """
    schedule_type: str | Unset = UNSET
    start_date: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        schedule_type = self.schedule_type

        start_date: str | Unset = UNSET
        if not isinstance(self.start_date, Unset):
            start_date = self.start_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if schedule_type is not UNSET:
            field_dict["schedule_type"] = schedule_type
        if start_date is not UNSET:
            field_dict["start_date"] = start_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_rule_trigger_type(d.pop("type"))

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        schedule_type = d.pop("schedule_type", UNSET)

        _start_date = d.pop("start_date", UNSET)
        start_date: datetime.datetime | Unset
        if isinstance(_start_date, Unset):
            start_date = UNSET
        else:
            start_date = datetime.datetime.fromisoformat(_start_date)

        trigger = cls(
            type_=type_,
            account_id=account_id,
            schedule_type=schedule_type,
            start_date=start_date,
        )

        trigger.additional_properties = d
        return trigger

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
