"""``list_devices()`` and ``get_device()`` give objects, as ``get_user_attributes()`` does,
and still answer the wire form's keys that earlier versions returned."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cognito_identity import CognitoDevice, DeviceList
from cognito_identity.errors import CognitoResponseError
from cognito_identity.local import LocalCognito
from cognito_identity.storage import MemoryStorage

from .helpers import sign_in, tracking, user_of


def test_devices_are_objects_with_their_name_status_and_dates(local: LocalCognito) -> None:
    setup = tracking(local)
    phone, laptop = user_of(setup, MemoryStorage()), user_of(setup, MemoryStorage())
    phone.device_name = "Ann's phone"
    sign_in(phone)
    sign_in(laptop)
    laptop.set_device_status_remembered()

    page = laptop.list_devices()
    assert isinstance(page, DeviceList) and page.pagination_token is None
    by_key = {device.key: device for device in page}
    assert set(by_key) == {phone.get_device_key(), laptop.get_device_key()} and len(page) == 2
    own = by_key[laptop.get_device_key()]
    assert isinstance(own, CognitoDevice)
    assert own.remembered is True and own.name == laptop.device_name
    assert by_key[phone.get_device_key()].name == "Ann's phone"
    assert own.attributes["device_status"] == "valid"
    assert own.created is not None and own.created.tzinfo is timezone.utc
    assert abs((datetime.now(timezone.utc) - own.created).total_seconds()) < 3600
    assert own.last_modified is not None

    got = laptop.get_device()
    assert got == own  # the same device, however it was fetched


def test_pages_follow_the_pagination_token(local: LocalCognito) -> None:
    setup = tracking(local)
    phone, laptop = user_of(setup, MemoryStorage()), user_of(setup, MemoryStorage())
    sign_in(phone)
    sign_in(laptop)
    first = laptop.list_devices(limit=1)
    assert len(first) == 1 and first.pagination_token
    rest = laptop.list_devices(limit=1, pagination_token=first.pagination_token)
    keys = {device.key for device in [*first, *rest]}
    assert keys == {phone.get_device_key(), laptop.get_device_key()}


def test_the_wire_form_still_answers() -> None:
    described = {
        "DeviceKey": "us-east-1_abc",
        "DeviceAttributes": [
            {"Name": "device_name", "Value": "laptop"},
            {"Name": "dev:device_remembered_status", "Value": "not_remembered"},
        ],
        "DeviceCreateDate": 1700000000.5,
    }
    page = DeviceList.from_json({"Devices": [described], "PaginationToken": "next"})
    assert page["Devices"] == [described] and page["PaginationToken"] == "next"
    (device,) = page
    assert device["DeviceKey"] == "us-east-1_abc" and device.to_json() == described
    assert device.remembered is False and device.last_authenticated is None
    assert device.created == datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=timezone.utc)
    with pytest.raises(KeyError):
        DeviceList.from_json({"Devices": []})["PaginationToken"]
    with pytest.raises(CognitoResponseError):
        CognitoDevice.from_json({"DeviceAttributes": []})
    for malformed in ({"Devices": 5}, {"Devices": [{"DeviceKey": "k", "DeviceAttributes": 1}]}):
        with pytest.raises(CognitoResponseError):
            DeviceList.from_json(malformed)
