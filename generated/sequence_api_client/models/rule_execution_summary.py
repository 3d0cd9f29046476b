from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_execution_status import RuleExecutionStatus, check_rule_execution_status

T = TypeVar("T", bound="RuleExecutionSummary")


@_attrs_define
class RuleExecutionSummary:
    """An execution in listRuleExecutions."""

    id: str
    """ Rule execution id (`rex_` prefix). """
    rule_id: str
    """ Rule id (`rule_` prefix). """
    rule_name: None | str
    trigger_type: str
    """ What started the run (lowercase); an open set, see `x-known-values`. """
    status: RuleExecutionStatus
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        rule_id = self.rule_id

        rule_name: None | str
        rule_name = self.rule_name

        trigger_type = self.trigger_type

        status: str = self.status

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "rule_id": rule_id,
                "rule_name": rule_name,
                "trigger_type": trigger_type,
                "status": status,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        rule_id = d.pop("rule_id")

        def _parse_rule_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rule_name = _parse_rule_name(d.pop("rule_name"))

        trigger_type = d.pop("trigger_type")

        status = check_rule_execution_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        rule_execution_summary = cls(
            id=id,
            rule_id=rule_id,
            rule_name=rule_name,
            trigger_type=trigger_type,
            status=status,
            created_at=created_at,
        )

        rule_execution_summary.additional_properties = d
        return rule_execution_summary

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
