from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_account_ref import ActionAccountRef
    from ..models.transfer_cap import TransferCap


T = TypeVar("T", bound="Action")


@_attrs_define
class Action:
    """One transfer-making action of a step. One tolerant object for every action type; the
    documented kinds are lowercase (`percentage`, `fixed_amount`, `avalanche`, `snowball`,
    `top_up`, `round_down`, `next_payment_minimum`); their fields are filled.

    """

    type_: str
    source: ActionAccountRef | Unset = UNSET
    """ An account named inside a rule action; `name` may be left out in requests. """
    destination: ActionAccountRef | Unset = UNSET
    """ An account named inside a rule action; `name` may be left out in requests. """
    group_index: int | Unset = UNSET
    up_to_enabled: bool | Unset = UNSET
    """ When the source is short, move what it holds instead of failing. """
    is_direct_deposit: bool | Unset = UNSET
    limit: None | TransferCap | Unset = UNSET
    ach_description: None | str | Unset = UNSET
    amount_in_cents: int | Unset = UNSET
    percentage_value: float | Unset = UNSET
    percentage_target: str | Unset = UNSET
    next_payment_minimum_account: ActionAccountRef | None | Unset = UNSET
    current_balance_account: ActionAccountRef | None | Unset = UNSET
    last_statement_balance_account: ActionAccountRef | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.action_account_ref import ActionAccountRef  # noqa: PLC0415
        from ..models.transfer_cap import TransferCap  # noqa: PLC0415

        type_ = self.type_

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        destination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.destination, Unset):
            destination = self.destination.to_dict()

        group_index = self.group_index

        up_to_enabled = self.up_to_enabled

        is_direct_deposit = self.is_direct_deposit

        limit: dict[str, Any] | None | Unset
        if isinstance(self.limit, Unset):
            limit = UNSET
        elif isinstance(self.limit, TransferCap):
            limit = self.limit.to_dict()
        else:
            limit = self.limit

        ach_description: None | str | Unset
        if isinstance(self.ach_description, Unset):
            ach_description = UNSET
        else:
            ach_description = self.ach_description

        amount_in_cents = self.amount_in_cents

        percentage_value = self.percentage_value

        percentage_target = self.percentage_target

        next_payment_minimum_account: dict[str, Any] | None | Unset
        if isinstance(self.next_payment_minimum_account, Unset):
            next_payment_minimum_account = UNSET
        elif isinstance(self.next_payment_minimum_account, ActionAccountRef):
            next_payment_minimum_account = self.next_payment_minimum_account.to_dict()
        else:
            next_payment_minimum_account = self.next_payment_minimum_account

        current_balance_account: dict[str, Any] | None | Unset
        if isinstance(self.current_balance_account, Unset):
            current_balance_account = UNSET
        elif isinstance(self.current_balance_account, ActionAccountRef):
            current_balance_account = self.current_balance_account.to_dict()
        else:
            current_balance_account = self.current_balance_account

        last_statement_balance_account: dict[str, Any] | None | Unset
        if isinstance(self.last_statement_balance_account, Unset):
            last_statement_balance_account = UNSET
        elif isinstance(self.last_statement_balance_account, ActionAccountRef):
            last_statement_balance_account = self.last_statement_balance_account.to_dict()
        else:
            last_statement_balance_account = self.last_statement_balance_account

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if destination is not UNSET:
            field_dict["destination"] = destination
        if group_index is not UNSET:
            field_dict["group_index"] = group_index
        if up_to_enabled is not UNSET:
            field_dict["up_to_enabled"] = up_to_enabled
        if is_direct_deposit is not UNSET:
            field_dict["is_direct_deposit"] = is_direct_deposit
        if limit is not UNSET:
            field_dict["limit"] = limit
        if ach_description is not UNSET:
            field_dict["ach_description"] = ach_description
        if amount_in_cents is not UNSET:
            field_dict["amount_in_cents"] = amount_in_cents
        if percentage_value is not UNSET:
            field_dict["percentage_value"] = percentage_value
        if percentage_target is not UNSET:
            field_dict["percentage_target"] = percentage_target
        if next_payment_minimum_account is not UNSET:
            field_dict["next_payment_minimum_account"] = next_payment_minimum_account
        if current_balance_account is not UNSET:
            field_dict["current_balance_account"] = current_balance_account
        if last_statement_balance_account is not UNSET:
            field_dict["last_statement_balance_account"] = last_statement_balance_account

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_account_ref import ActionAccountRef  # noqa: PLC0415
        from ..models.transfer_cap import TransferCap  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        _source = d.pop("source", UNSET)
        source: ActionAccountRef | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = ActionAccountRef.from_dict(_source)

        _destination = d.pop("destination", UNSET)
        destination: ActionAccountRef | Unset
        if isinstance(_destination, Unset):
            destination = UNSET
        else:
            destination = ActionAccountRef.from_dict(_destination)

        group_index = d.pop("group_index", UNSET)

        up_to_enabled = d.pop("up_to_enabled", UNSET)

        is_direct_deposit = d.pop("is_direct_deposit", UNSET)

        def _parse_limit(data: object) -> None | TransferCap | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                limit_type_0 = TransferCap.from_dict(data)

                return limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransferCap | Unset, data)

        limit = _parse_limit(d.pop("limit", UNSET))

        def _parse_ach_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ach_description = _parse_ach_description(d.pop("ach_description", UNSET))

        amount_in_cents = d.pop("amount_in_cents", UNSET)

        percentage_value = d.pop("percentage_value", UNSET)

        percentage_target = d.pop("percentage_target", UNSET)

        def _parse_next_payment_minimum_account(data: object) -> ActionAccountRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_payment_minimum_account_type_0 = ActionAccountRef.from_dict(data)

                return next_payment_minimum_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionAccountRef | None | Unset, data)

        next_payment_minimum_account = _parse_next_payment_minimum_account(d.pop("next_payment_minimum_account", UNSET))

        def _parse_current_balance_account(data: object) -> ActionAccountRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_balance_account_type_0 = ActionAccountRef.from_dict(data)

                return current_balance_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionAccountRef | None | Unset, data)

        current_balance_account = _parse_current_balance_account(d.pop("current_balance_account", UNSET))

        def _parse_last_statement_balance_account(data: object) -> ActionAccountRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_statement_balance_account_type_0 = ActionAccountRef.from_dict(data)

                return last_statement_balance_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionAccountRef | None | Unset, data)

        last_statement_balance_account = _parse_last_statement_balance_account(
            d.pop("last_statement_balance_account", UNSET)
        )

        action = cls(
            type_=type_,
            source=source,
            destination=destination,
            group_index=group_index,
            up_to_enabled=up_to_enabled,
            is_direct_deposit=is_direct_deposit,
            limit=limit,
            ach_description=ach_description,
            amount_in_cents=amount_in_cents,
            percentage_value=percentage_value,
            percentage_target=percentage_target,
            next_payment_minimum_account=next_payment_minimum_account,
            current_balance_account=current_balance_account,
            last_statement_balance_account=last_statement_balance_account,
        )

        action.additional_properties = d
        return action

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
