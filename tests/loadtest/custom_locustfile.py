"""A user's own scenario, as a load tester writes one: a subclass of CognitoLoadUser."""

from locust import task

from cognito_identity.loadtest import CognitoLoadUser


class ProfileUser(CognitoLoadUser):
    """Signs in with USER_PASSWORD_AUTH and reads the profile each time."""

    auth_flow = "USER_PASSWORD_AUTH"

    @task
    def login_and_read_profile(self) -> None:
        tokens = self.login()
        if tokens is not None:
            self.get_user(tokens)
