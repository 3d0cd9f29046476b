from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_status import RuleStatus, check_rule_status
from ..models.rule_trigger_type import RuleTriggerType, check_rule_trigger_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_ref import AccountRef


T = TypeVar("T", bound="RuleSummary")


@_attrs_define
class RuleSummary:
    """A rule in listRules."""

    id: str
    """ Rule id (`rule_` prefix). """
    nickname: None | str
    description: None | str
    status: RuleStatus
    trigger_type: RuleTriggerType
    source: AccountRef | None
    """ The trigger account; may be null on scheduled rules. """
    created_at: datetime.datetime
    updated_at: datetime.datetime | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
    is_supported: bool | Unset = UNSET
    """ False when the rule cannot be represented through the API (getRule then answers 403 `invalid_rule`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_ref import AccountRef  # noqa: PLC0415

        id = self.id

        nickname: None | str
        nickname = self.nickname

        description: None | str
        description = self.description

        status: str = self.status

        trigger_type: str = self.trigger_type

        source: dict[str, Any] | None
        if isinstance(self.source, AccountRef):
            source = self.source.to_dict()
        else:
            source = self.source

        created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        is_supported = self.is_supported

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "nickname": nickname,
                "description": description,
                "status": status,
                "trigger_type": trigger_type,
                "source": source,
                "created_at": created_at,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at
        if is_supported is not UNSET:
            field_dict["is_supported"] = is_supported

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_ref import AccountRef  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_nickname(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        nickname = _parse_nickname(d.pop("nickname"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        status = check_rule_status(d.pop("status"))

        trigger_type = check_rule_trigger_type(d.pop("trigger_type"))

        def _parse_source(data: object) -> AccountRef | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = AccountRef.from_dict(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountRef | None, data)

        source = _parse_source(d.pop("source"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at", UNSET))

        is_supported = d.pop("is_supported", UNSET)

        rule_summary = cls(
            id=id,
            nickname=nickname,
            description=description,
            status=status,
            trigger_type=trigger_type,
            source=source,
            created_at=created_at,
            updated_at=updated_at,
            deleted_at=deleted_at,
            is_supported=is_supported,
        )

        rule_summary.additional_properties = d
        return rule_summary

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
