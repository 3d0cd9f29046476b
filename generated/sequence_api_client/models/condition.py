from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.condition_fact import ConditionFact, check_condition_fact
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition_params import ConditionParams


T = TypeVar("T", bound="Condition")


@_attrs_define
class Condition:
    fact: ConditionFact
    operator: str | Unset = UNSET
    value: float | None | Unset = UNSET
    value_fact: None | str | Unset = UNSET
    params: ConditionParams | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_params import ConditionParams  # noqa: PLC0415

        fact: str = self.fact

        operator = self.operator

        value: float | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        value_fact: None | str | Unset
        if isinstance(self.value_fact, Unset):
            value_fact = UNSET
        else:
            value_fact = self.value_fact

        params: dict[str, Any] | None | Unset
        if isinstance(self.params, Unset):
            params = UNSET
        elif isinstance(self.params, ConditionParams):
            params = self.params.to_dict()
        else:
            params = self.params

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fact": fact,
            }
        )
        if operator is not UNSET:
            field_dict["operator"] = operator
        if value is not UNSET:
            field_dict["value"] = value
        if value_fact is not UNSET:
            field_dict["value_fact"] = value_fact
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_params import ConditionParams  # noqa: PLC0415

        d = dict(src_dict)
        fact = check_condition_fact(d.pop("fact"))

        operator = d.pop("operator", UNSET)

        def _parse_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        def _parse_value_fact(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        value_fact = _parse_value_fact(d.pop("value_fact", UNSET))

        def _parse_params(data: object) -> ConditionParams | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                params_type_0 = ConditionParams.from_dict(data)

                return params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConditionParams | None | Unset, data)

        params = _parse_params(d.pop("params", UNSET))

        condition = cls(
            fact=fact,
            operator=operator,
            value=value,
            value_fact=value_fact,
            params=params,
        )

        condition.additional_properties = d
        return condition

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
