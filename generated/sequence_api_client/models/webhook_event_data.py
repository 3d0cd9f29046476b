from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEventData")


@_attrs_define
class WebhookEventData:
    """Event contents (collapsed in the documentation); fetch the transfer with getTransfer."""

    transfer_id: str | Unset = UNSET
    """ Transfer id (`txr_` prefix). """
    status: str | Unset = UNSET
    """ Transfer status after the event. """
    previous_status: str | Unset = UNSET
    """ Status before the change (status-changed events). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transfer_id = self.transfer_id

        status = self.status

        previous_status = self.previous_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if transfer_id is not UNSET:
            field_dict["transfer_id"] = transfer_id
        if status is not UNSET:
            field_dict["status"] = status
        if previous_status is not UNSET:
            field_dict["previous_status"] = previous_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        transfer_id = d.pop("transfer_id", UNSET)

        status = d.pop("status", UNSET)

        previous_status = d.pop("previous_status", UNSET)

        webhook_event_data = cls(
            transfer_id=transfer_id,
            status=status,
            previous_status=previous_status,
        )

        webhook_event_data.additional_properties = d
        return webhook_event_data

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
