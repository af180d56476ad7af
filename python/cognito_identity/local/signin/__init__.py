"""Sign-in as an explicit state machine (model: h11's ``_state.py``).

* :mod:`.state` -- a sign-in (:class:`SignIn`): pool, client, user, what is proven, the
  device, the custom auth session; and its :class:`Phase`.
* :mod:`.payloads` -- one small typed payload per challenge, kept in :mod:`.sessions`.
* :mod:`.events` and :mod:`.machine` -- the transition table and :func:`advance`, which
  decides every "next": a challenge or the tokens.
* :mod:`.flows` -- how each AuthFlow starts; :mod:`.answers` -- the challenge handlers,
  which only verify an answer and emit an event; :mod:`.refresh` -- refreshing and
  rotating; :mod:`.custom` and :mod:`.hooks` -- the Lambda triggers of a sign-in.
"""

from __future__ import annotations

from cognito_identity.local.signin.machine import TRANSITIONS, advance
from cognito_identity.local.signin.sessions import ChallengeSessions
from cognito_identity.local.signin.state import Factor, Phase, SignIn

__all__ = ["TRANSITIONS", "ChallengeSessions", "Factor", "Phase", "SignIn", "advance"]
