from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerRuleInput")


@_attrs_define
class TriggerRuleInput:
    """Body of triggerRule; `{}` when nothing is overridden."""

    manual_execute_amount: int | Unset = UNSET
    """ Amount in cents for `MANUAL`-trigger rules; ignored for other trigger types. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        manual_execute_amount = self.manual_execute_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if manual_execute_amount is not UNSET:
            field_dict["manual_execute_amount"] = manual_execute_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        manual_execute_amount = d.pop("manual_execute_amount", UNSET)

        trigger_rule_input = cls(
            manual_execute_amount=manual_execute_amount,
        )

        trigger_rule_input.additional_properties = d
        return trigger_rule_input

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
