from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_status import RuleStatus, check_rule_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_input import StepInput
    from ..models.trigger import Trigger


T = TypeVar("T", bound="RuleInput")


@_attrs_define
class RuleInput:
    """Body of createRule and updateRule (a full replacement). Requests are as strict as the
    server: a body valid against this schema is accepted unless a check no schema can say
    fails (an unknown account, a second `ON_FUNDS_TRANSFERRED` rule on one account), which
    is 422 `invalid_rule`. Responses read rules with the tolerant `Rule`.

    """

    status: RuleStatus
    trigger: Trigger
    """ What starts the rule. One tolerant object for every trigger type: `account_id` for
    `ON_FUNDS_TRANSFERRED` (account watched for incoming funds) and `MANUAL` (default source);
    `schedule_type` and `start_date` for `SCHEDULED`.
     """
    steps: list[StepInput]
    nickname: str | Unset = UNSET
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        trigger = self.trigger.to_dict()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        nickname = self.nickname

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "trigger": trigger,
                "steps": steps,
            }
        )
        if nickname is not UNSET:
            field_dict["nickname"] = nickname
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_input import StepInput  # noqa: PLC0415
        from ..models.trigger import Trigger  # noqa: PLC0415

        d = dict(src_dict)
        status = check_rule_status(d.pop("status"))

        trigger = Trigger.from_dict(d.pop("trigger"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepInput.from_dict(steps_item_data)

            steps.append(steps_item)

        nickname = d.pop("nickname", UNSET)

        description = d.pop("description", UNSET)

        rule_input = cls(
            status=status,
            trigger=trigger,
            steps=steps,
            nickname=nickname,
            description=description,
        )

        rule_input.additional_properties = d
        return rule_input

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
