from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action
    from ..models.condition_all_input import ConditionAllInput
    from ..models.condition_any_input import ConditionAnyInput
    from ..models.condition_leaf_input import ConditionLeafInput


T = TypeVar("T", bound="StepInput")


@_attrs_define
class StepInput:
    """A step of a rule write; its condition tree is the strict `ConditionNodeInput`."""

    conditions: ConditionAllInput | ConditionAnyInput | ConditionLeafInput | None
    """ Conditions of the step; null makes it a catch-all. """
    actions: list[Action] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_all_input import ConditionAllInput  # noqa: PLC0415
        from ..models.condition_any_input import ConditionAnyInput  # noqa: PLC0415
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        conditions: dict[str, Any] | None
        if isinstance(self.conditions, ConditionLeafInput):
            conditions = self.conditions.to_dict()
        elif isinstance(self.conditions, ConditionAnyInput):
            conditions = self.conditions.to_dict()
        elif isinstance(self.conditions, ConditionAllInput):
            conditions = self.conditions.to_dict()
        else:
            conditions = self.conditions

        actions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.actions, Unset):
            actions = []
            for actions_item_data in self.actions:
                actions_item = actions_item_data.to_dict()
                actions.append(actions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conditions": conditions,
            }
        )
        if actions is not UNSET:
            field_dict["actions"] = actions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action import Action  # noqa: PLC0415
        from ..models.condition_all_input import ConditionAllInput  # noqa: PLC0415
        from ..models.condition_any_input import ConditionAnyInput  # noqa: PLC0415
        from ..models.condition_leaf_input import ConditionLeafInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_conditions(data: object) -> ConditionAllInput | ConditionAnyInput | ConditionLeafInput | None:
            if data is None:
                return data
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
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_condition_node_input_type_2 = ConditionAllInput.from_dict(data)

                return componentsschemas_condition_node_input_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConditionAllInput | ConditionAnyInput | ConditionLeafInput | None, data)

        conditions = _parse_conditions(d.pop("conditions"))

        _actions = d.pop("actions", UNSET)
        actions: list[Action] | Unset = UNSET
        if _actions is not UNSET:
            actions = []
            for actions_item_data in _actions:
                actions_item = Action.from_dict(actions_item_data)

                actions.append(actions_item)

        step_input = cls(
            conditions=conditions,
            actions=actions,
        )

        step_input.additional_properties = d
        return step_input

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
