from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_execution_status import RuleExecutionStatus, check_rule_execution_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.trigger_details import TriggerDetails


T = TypeVar("T", bound="RuleExecution")


@_attrs_define
class RuleExecution:
    """A full execution with trigger details, outcome and transfer ids."""

    id: str
    """ Rule execution id (`rex_` prefix). """
    rule_id: str
    """ Rule id (`rule_` prefix). """
    rule_name: None | str
    trigger_type: str
    """ What started the run (lowercase); an open set, see `x-known-values`. """
    status: RuleExecutionStatus
    created_at: datetime.datetime
    trigger_details: TriggerDetails
    step_index_matched: int | None | Unset = UNSET
    """ Zero-based index of the step that ran; null when none matched. """
    conditions_not_met: bool | Unset = UNSET
    """ No step matched (the status is still `executed`). """
    transfers_attempted: int | Unset = UNSET
    transfers_completed: int | Unset = UNSET
    transfers_failed: int | Unset = UNSET
    transfers_pending: int | Unset = UNSET
    transfer_ids: list[str] | Unset = UNSET
    error_message: None | str | Unset = UNSET
    next_attempt_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        rule_id = self.rule_id

        rule_name: None | str
        rule_name = self.rule_name

        trigger_type = self.trigger_type

        status: str = self.status

        created_at = self.created_at.isoformat()

        trigger_details = self.trigger_details.to_dict()

        step_index_matched: int | None | Unset
        if isinstance(self.step_index_matched, Unset):
            step_index_matched = UNSET
        else:
            step_index_matched = self.step_index_matched

        conditions_not_met = self.conditions_not_met

        transfers_attempted = self.transfers_attempted

        transfers_completed = self.transfers_completed

        transfers_failed = self.transfers_failed

        transfers_pending = self.transfers_pending

        transfer_ids: list[str] | Unset = UNSET
        if not isinstance(self.transfer_ids, Unset):
            transfer_ids = self.transfer_ids

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        next_attempt_at: None | str | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        elif isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

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
                "trigger_details": trigger_details,
            }
        )
        if step_index_matched is not UNSET:
            field_dict["step_index_matched"] = step_index_matched
        if conditions_not_met is not UNSET:
            field_dict["conditions_not_met"] = conditions_not_met
        if transfers_attempted is not UNSET:
            field_dict["transfers_attempted"] = transfers_attempted
        if transfers_completed is not UNSET:
            field_dict["transfers_completed"] = transfers_completed
        if transfers_failed is not UNSET:
            field_dict["transfers_failed"] = transfers_failed
        if transfers_pending is not UNSET:
            field_dict["transfers_pending"] = transfers_pending
        if transfer_ids is not UNSET:
            field_dict["transfer_ids"] = transfer_ids
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if next_attempt_at is not UNSET:
            field_dict["next_attempt_at"] = next_attempt_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trigger_details import TriggerDetails  # noqa: PLC0415

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

        trigger_details = TriggerDetails.from_dict(d.pop("trigger_details"))

        def _parse_step_index_matched(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        step_index_matched = _parse_step_index_matched(d.pop("step_index_matched", UNSET))

        conditions_not_met = d.pop("conditions_not_met", UNSET)

        transfers_attempted = d.pop("transfers_attempted", UNSET)

        transfers_completed = d.pop("transfers_completed", UNSET)

        transfers_failed = d.pop("transfers_failed", UNSET)

        transfers_pending = d.pop("transfers_pending", UNSET)

        transfer_ids = cast(list[str], d.pop("transfer_ids", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at", UNSET))

        rule_execution = cls(
            id=id,
            rule_id=rule_id,
            rule_name=rule_name,
            trigger_type=trigger_type,
            status=status,
            created_at=created_at,
            trigger_details=trigger_details,
            step_index_matched=step_index_matched,
            conditions_not_met=conditions_not_met,
            transfers_attempted=transfers_attempted,
            transfers_completed=transfers_completed,
            transfers_failed=transfers_failed,
            transfers_pending=transfers_pending,
            transfer_ids=transfer_ids,
            error_message=error_message,
            next_attempt_at=next_attempt_at,
        )

        rule_execution.additional_properties = d
        return rule_execution

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
