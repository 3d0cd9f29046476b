from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """Balance of an account; every field optional. Refreshed about once per banking day."""

    balance_in_cents: int | None | Unset = UNSET
    """ Amount held; for liabilities the amount owed. Null when `error` is set. """
    available_balance_in_cents: int | None | Unset = UNSET
    balance_last_updated_at: datetime.datetime | None | Unset = UNSET
    error: None | str | Unset = UNSET
    """ Why no balance is available. """
    last_statement_balance_in_cents: int | None | Unset = UNSET
    next_payment_minimum_in_cents: int | None | Unset = UNSET
    original_loan_amount_in_cents: int | None | Unset = UNSET
    last_statement_date: datetime.date | None | Unset = UNSET
    next_payment_due_date: datetime.date | None | Unset = UNSET
    interest_rate_percentage: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance_in_cents: int | None | Unset
        if isinstance(self.balance_in_cents, Unset):
            balance_in_cents = UNSET
        else:
            balance_in_cents = self.balance_in_cents

        available_balance_in_cents: int | None | Unset
        if isinstance(self.available_balance_in_cents, Unset):
            available_balance_in_cents = UNSET
        else:
            available_balance_in_cents = self.available_balance_in_cents

        balance_last_updated_at: None | str | Unset
        if isinstance(self.balance_last_updated_at, Unset):
            balance_last_updated_at = UNSET
        elif isinstance(self.balance_last_updated_at, datetime.datetime):
            balance_last_updated_at = self.balance_last_updated_at.isoformat()
        else:
            balance_last_updated_at = self.balance_last_updated_at

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        last_statement_balance_in_cents: int | None | Unset
        if isinstance(self.last_statement_balance_in_cents, Unset):
            last_statement_balance_in_cents = UNSET
        else:
            last_statement_balance_in_cents = self.last_statement_balance_in_cents

        next_payment_minimum_in_cents: int | None | Unset
        if isinstance(self.next_payment_minimum_in_cents, Unset):
            next_payment_minimum_in_cents = UNSET
        else:
            next_payment_minimum_in_cents = self.next_payment_minimum_in_cents

        original_loan_amount_in_cents: int | None | Unset
        if isinstance(self.original_loan_amount_in_cents, Unset):
            original_loan_amount_in_cents = UNSET
        else:
            original_loan_amount_in_cents = self.original_loan_amount_in_cents

        last_statement_date: None | str | Unset
        if isinstance(self.last_statement_date, Unset):
            last_statement_date = UNSET
        elif isinstance(self.last_statement_date, datetime.date):
            last_statement_date = self.last_statement_date.isoformat()
        else:
            last_statement_date = self.last_statement_date

        next_payment_due_date: None | str | Unset
        if isinstance(self.next_payment_due_date, Unset):
            next_payment_due_date = UNSET
        elif isinstance(self.next_payment_due_date, datetime.date):
            next_payment_due_date = self.next_payment_due_date.isoformat()
        else:
            next_payment_due_date = self.next_payment_due_date

        interest_rate_percentage: float | None | Unset
        if isinstance(self.interest_rate_percentage, Unset):
            interest_rate_percentage = UNSET
        else:
            interest_rate_percentage = self.interest_rate_percentage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if balance_in_cents is not UNSET:
            field_dict["balance_in_cents"] = balance_in_cents
        if available_balance_in_cents is not UNSET:
            field_dict["available_balance_in_cents"] = available_balance_in_cents
        if balance_last_updated_at is not UNSET:
            field_dict["balance_last_updated_at"] = balance_last_updated_at
        if error is not UNSET:
            field_dict["error"] = error
        if last_statement_balance_in_cents is not UNSET:
            field_dict["last_statement_balance_in_cents"] = last_statement_balance_in_cents
        if next_payment_minimum_in_cents is not UNSET:
            field_dict["next_payment_minimum_in_cents"] = next_payment_minimum_in_cents
        if original_loan_amount_in_cents is not UNSET:
            field_dict["original_loan_amount_in_cents"] = original_loan_amount_in_cents
        if last_statement_date is not UNSET:
            field_dict["last_statement_date"] = last_statement_date
        if next_payment_due_date is not UNSET:
            field_dict["next_payment_due_date"] = next_payment_due_date
        if interest_rate_percentage is not UNSET:
            field_dict["interest_rate_percentage"] = interest_rate_percentage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_balance_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        balance_in_cents = _parse_balance_in_cents(d.pop("balance_in_cents", UNSET))

        def _parse_available_balance_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        available_balance_in_cents = _parse_available_balance_in_cents(d.pop("available_balance_in_cents", UNSET))

        def _parse_balance_last_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                balance_last_updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return balance_last_updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        balance_last_updated_at = _parse_balance_last_updated_at(d.pop("balance_last_updated_at", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_last_statement_balance_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_statement_balance_in_cents = _parse_last_statement_balance_in_cents(
            d.pop("last_statement_balance_in_cents", UNSET)
        )

        def _parse_next_payment_minimum_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_payment_minimum_in_cents = _parse_next_payment_minimum_in_cents(
            d.pop("next_payment_minimum_in_cents", UNSET)
        )

        def _parse_original_loan_amount_in_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        original_loan_amount_in_cents = _parse_original_loan_amount_in_cents(
            d.pop("original_loan_amount_in_cents", UNSET)
        )

        def _parse_last_statement_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_statement_date_type_0 = datetime.date.fromisoformat(data)

                return last_statement_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        last_statement_date = _parse_last_statement_date(d.pop("last_statement_date", UNSET))

        def _parse_next_payment_due_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_payment_due_date_type_0 = datetime.date.fromisoformat(data)

                return next_payment_due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        next_payment_due_date = _parse_next_payment_due_date(d.pop("next_payment_due_date", UNSET))

        def _parse_interest_rate_percentage(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        interest_rate_percentage = _parse_interest_rate_percentage(d.pop("interest_rate_percentage", UNSET))

        balance = cls(
            balance_in_cents=balance_in_cents,
            available_balance_in_cents=available_balance_in_cents,
            balance_last_updated_at=balance_last_updated_at,
            error=error,
            last_statement_balance_in_cents=last_statement_balance_in_cents,
            next_payment_minimum_in_cents=next_payment_minimum_in_cents,
            original_loan_amount_in_cents=original_loan_amount_in_cents,
            last_statement_date=last_statement_date,
            next_payment_due_date=next_payment_due_date,
            interest_rate_percentage=interest_rate_percentage,
        )

        balance.additional_properties = d
        return balance

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
