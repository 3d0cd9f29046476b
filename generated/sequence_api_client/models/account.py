from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_type import AccountType, check_account_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_core import AccountCore
    from ..models.balance import Balance


T = TypeVar("T", bound="Account")


@_attrs_define
class Account:
    """One account with masked details and its current balance."""

    id: str
    """ Account id (`acc_` prefix). """
    name: str
    type_: AccountType
    description: None | str
    """ The user's note. """
    external_account_type: None | str
    """ Kind of external account (uppercase), null unless `type` is `external_account`.
    `LIABILITY` is documented; `DEPOSITORY` and `INVESTMENT` are filled.
     """
    beneficiary_name: None | str
    institution_name: None | str
    """ Null for pods. """
    can_be_source: bool
    """ Whether the account can be a transfer source. """
    can_be_destination: bool | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
    linked_account: AccountCore | None | Unset = UNSET
    """ Liability account linked to a pod. """
    routing_number: None | str | Unset = UNSET
    """ Masked routing number. """
    bank_account_number: None | str | Unset = UNSET
    """ Masked account number. """
    balance: Balance | None | Unset = UNSET
    """ Current balance; null when unavailable. """
    savings_target_in_cents: int | None | Unset = UNSET
    """ Savings target of a pod. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_core import AccountCore  # noqa: PLC0415
        from ..models.balance import Balance  # noqa: PLC0415

        id = self.id

        name = self.name

        type_: str = self.type_

        description: None | str
        description = self.description

        external_account_type: None | str
        external_account_type = self.external_account_type

        beneficiary_name: None | str
        beneficiary_name = self.beneficiary_name

        institution_name: None | str
        institution_name = self.institution_name

        can_be_source = self.can_be_source

        can_be_destination = self.can_be_destination

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
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

        linked_account: dict[str, Any] | None | Unset
        if isinstance(self.linked_account, Unset):
            linked_account = UNSET
        elif isinstance(self.linked_account, AccountCore):
            linked_account = self.linked_account.to_dict()
        else:
            linked_account = self.linked_account

        routing_number: None | str | Unset
        if isinstance(self.routing_number, Unset):
            routing_number = UNSET
        else:
            routing_number = self.routing_number

        bank_account_number: None | str | Unset
        if isinstance(self.bank_account_number, Unset):
            bank_account_number = UNSET
        else:
            bank_account_number = self.bank_account_number

        balance: dict[str, Any] | None | Unset
        if isinstance(self.balance, Unset):
            balance = UNSET
        elif isinstance(self.balance, Balance):
            balance = self.balance.to_dict()
        else:
            balance = self.balance

        savings_target_in_cents: int | None | Unset
        if isinstance(self.savings_target_in_cents, Unset):
            savings_target_in_cents = UNSET
        else:
            savings_target_in_cents = self.savings_target_in_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
                "description": description,
                "external_account_type": external_account_type,
                "beneficiary_name": beneficiary_name,
                "institution_name": institution_name,
                "can_be_source": can_be_source,
            }
        )
        if can_be_destination is not UNSET:
            field_dict["can_be_destination"] = can_be_destination
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at
        if linked_account is not UNSET:
            field_dict["linked_account"] = linked_account
        if routing_number is not UNSET:
            field_dict["routing_number"] = routing_number
        if bank_account_number is not UNSET:
            field_dict["bank_account_number"] = bank_account_number
        if balance is not UNSET:
            field_dict["balance"] = balance
        if savings_target_in_cents is not UNSET:
            field_dict["savings_target_in_cents"] = savings_target_in_cents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_core import AccountCore  # noqa: PLC0415
        from ..models.balance import Balance  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = check_account_type(d.pop("type"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_external_account_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_account_type = _parse_external_account_type(d.pop("external_account_type"))

        def _parse_beneficiary_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        beneficiary_name = _parse_beneficiary_name(d.pop("beneficiary_name"))

        def _parse_institution_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        institution_name = _parse_institution_name(d.pop("institution_name"))

        can_be_source = d.pop("can_be_source")

        can_be_destination = d.pop("can_be_destination", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

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

        def _parse_linked_account(data: object) -> AccountCore | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                linked_account_type_0 = AccountCore.from_dict(data)

                return linked_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountCore | None | Unset, data)

        linked_account = _parse_linked_account(d.pop("linked_account", UNSET))

        def _parse_routing_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        routing_number = _parse_routing_number(d.pop("routing_number", UNSET))

        def _parse_bank_account_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bank_account_number = _parse_bank_account_number(d.pop("bank_account_number", UNSET))

        def _parse_balance(data: object) -> Balance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                balance_type_0 = Balance.from_dict(data)

                return balance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Balance | None | Unset, data)

        balance = _parse_balance(d.pop("balance", UNSET))

        def _parse_savings_target_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        savings_target_in_cents = _parse_savings_target_in_cents(d.pop("savings_target_in_cents", UNSET))

        account = cls(
            id=id,
            name=name,
            type_=type_,
            description=description,
            external_account_type=external_account_type,
            beneficiary_name=beneficiary_name,
            institution_name=institution_name,
            can_be_source=can_be_source,
            can_be_destination=can_be_destination,
            created_at=created_at,
            updated_at=updated_at,
            deleted_at=deleted_at,
            linked_account=linked_account,
            routing_number=routing_number,
            bank_account_number=bank_account_number,
            balance=balance,
            savings_target_in_cents=savings_target_in_cents,
        )

        account.additional_properties = d
        return account

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
