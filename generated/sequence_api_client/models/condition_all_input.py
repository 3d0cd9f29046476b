from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.condition_any_input import ConditionAnyInput
    from ..models.condition_leaf_input import ConditionLeafInput


T = TypeVar("T", bound="ConditionAllInput")


@_attrs_define
class ConditionAllInput:
    """Matches when every child node matches (AND)."""

    all_: list[ConditionAllInput | ConditionAnyInput | ConditionLeafInput]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_any_input import ConditionAnyInput  # noqa: PLC0415
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        all_ = []
        for all_item_data in self.all_:
            all_item: dict[str, Any]
            if isinstance(all_item_data, ConditionLeafInput):
                all_item = all_item_data.to_dict()
            elif isinstance(all_item_data, ConditionAnyInput):
                all_item = all_item_data.to_dict()
            else:
                all_item = all_item_data.to_dict()

            all_.append(all_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "all": all_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_any_input import ConditionAnyInput  # noqa: PLC0415
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        d = dict(src_dict)
        all_ = []
        _all_ = d.pop("all")
        for all_item_data in _all_:

            def _parse_all_item(data: object) -> ConditionAllInput | ConditionAnyInput | ConditionLeafInput:
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

            all_item = _parse_all_item(all_item_data)

            all_.append(all_item)

        condition_all_input = cls(
            all_=all_,
        )

        condition_all_input.additional_properties = d
        return condition_all_input

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
