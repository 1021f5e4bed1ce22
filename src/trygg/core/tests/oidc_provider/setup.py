"""Create the test provider's client (Trygg) and its users. Run in the provider's process
environment: ``python -m trygg.core.tests.oidc_provider.setup RP_URL CLIENT_SECRET``."""

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import Application

    rp_url, client_secret, users = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    Application.objects.create(
        name="Trygg",
        client_id="trygg",
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{rp_url}/sso/callback/",
        post_logout_redirect_uris=f"{rp_url}/logga-in/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    User = get_user_model()
    for username, (email, first_name, last_name, password) in users.items():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.save()


if __name__ == "__main__":
    main()
