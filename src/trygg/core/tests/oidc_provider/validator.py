"""The claims the test provider issues, decided by the provider user's fields."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim for every scope: the test decides by user fields

    def get_additional_claims(self, request):
        user = request.user
        claims = {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "name": f"{user.first_name} {user.last_name}".strip(),
        }
        claims["amr"] = ["pwd", "otp", "mfa"] if user.first_name == "mfa" else ["pwd"]
        return claims
