"""The hosted UI of the local pool: Cognito's OAuth 2.0 endpoints, over the same sign-in
state machine as the API.

* :mod:`.settings` -- an app client's OAuth settings, checked as Cognito checks them;
* :mod:`.records` -- domains, resource servers and identity providers in the store;
* :mod:`.codes` -- single-use authorization codes and their PKCE check;
* :mod:`.page` -- the HTML of the pages (plain, accessible forms);
* :mod:`.challenges` -- each challenge of a sign-in on its own page;
* :mod:`.federation` -- sign-in through an OIDC identity provider;
* :mod:`.endpoints` -- ``/oauth2/authorize``, ``/oauth2/token``, ``/oauth2/userInfo``,
  ``/oauth2/revoke``, ``/oauth2/idpresponse`` and ``/logout``, as bytes in and a reply out.
"""

from __future__ import annotations
