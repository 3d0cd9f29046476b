from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.condition_all_input import ConditionAllInput
    from ..models.condition_leaf_input import ConditionLeafInput


T = TypeVar("T", bound="ConditionAnyInput")


@_attrs_define
class ConditionAnyInput:
    """Matches when any child node matches (OR)."""

    any_: list[ConditionAllInput | ConditionAnyInput | ConditionLeafInput]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        any_ = []
        for any_item_data in self.any_:
            any_item: dict[str, Any]
            if isinstance(any_item_data, ConditionLeafInput):
                any_item = any_item_data.to_dict()
            elif isinstance(any_item_data, ConditionAnyInput):
                any_item = any_item_data.to_dict()
            else:
                any_item = any_item_data.to_dict()

            any_.append(any_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "any": any_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_all_input import ConditionAllInput  # noqa: PLC0415
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        d = dict(src_dict)
        any_ = []
        _any_ = d.pop("any")
        for any_item_data in _any_:

            def _parse_any_item(data: object) -> ConditionAllInput | ConditionAnyInput | ConditionLeafInput:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_input_type_0 = ConditionLeafInput.from_dict(data)

                    return componentsschemas_condition_node_input_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_input_type_1 = ConditionAnyInput.from_dict(data)

                    return componentsschemas_condition_node_input_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_input_type_2 = ConditionAllInput.from_dict(data)

                return componentsschemas_condition_node_input_type_2

            any_item = _parse_any_item(any_item_data)

            any_.append(any_item)

        condition_any_input = cls(
            any_=any_,
        )

        condition_any_input.additional_properties = d
        return condition_any_input

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
