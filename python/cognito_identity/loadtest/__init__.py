"""Load tests of Cognito user pools on Locust (``pip install 'cognito-identity[loadtest]'``).

* :mod:`.users`: :class:`CognitoLoadUser`, the base class with the steps as helpers, and
  one user class per scenario (:data:`SCENARIOS`);
* :mod:`.steps`: Cognito calls as Locust request events, failures under their error code;
* :mod:`.target`: the pool, app client and test users a run uses;
* :mod:`.provision`: making, reading and removing test users.

The names of :mod:`.users`, :mod:`.steps` and :mod:`.scenarios` are loaded on first use,
since they import Locust, which patches the standard library for gevent: in a
locustfile, import Locust (or this package's users) before anything else. The
``cognito-identity loadtest`` command starts a fresh interpreter that patches first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cognito_identity.loadtest.target import Target, TestUser

if TYPE_CHECKING:
    from cognito_identity.loadtest.scenarios import SCENARIOS, scenario_class
    from cognito_identity.loadtest.steps import (
        SRP_MATH,
        THROTTLING_CODES,
        StepFailure,
        StepRecorder,
    )
    from cognito_identity.loadtest.users import (
        CognitoLoadUser,
        LoginRefreshUser,
        LoginUser,
        MixedUser,
        PasswordLoginUser,
        RefreshStormUser,
        SignUpConfirmUser,
        SrpLoginUser,
        UserAuthLoginUser,
    )

__all__ = [
    "SCENARIOS",
    "SRP_MATH",
    "THROTTLING_CODES",
    "CognitoLoadUser",
    "LoginRefreshUser",
    "LoginUser",
    "MixedUser",
    "PasswordLoginUser",
    "RefreshStormUser",
    "SignUpConfirmUser",
    "SrpLoginUser",
    "StepFailure",
    "StepRecorder",
    "Target",
    "TestUser",
    "UserAuthLoginUser",
    "scenario_class",
]

_LAZY = {
    "SCENARIOS": "scenarios",
    "scenario_class": "scenarios",
    "SRP_MATH": "steps",
    "THROTTLING_CODES": "steps",
    "StepFailure": "steps",
    "StepRecorder": "steps",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_LAZY.get(name, 'users')}")
    return getattr(module, name)
