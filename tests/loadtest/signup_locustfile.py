"""A user's own scenario that signs in as a provisioned user and signs a new one up."""

from locust import task

from cognito_identity.loadtest import CognitoLoadUser


class JoinAndReturnUser(CognitoLoadUser):
    """Signs in, then signs a new user up and confirms it, each time."""

    @task
    def sign_in_and_sign_up(self) -> None:
        self.login()
        self.sign_up_and_confirm()
