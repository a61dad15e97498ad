"""Single sign-on through the city's identity provider (OpenID Connect, issue 18).

allauth's OpenID Connect provider does the protocol (discovery, authorization code with PKCE,
token and userinfo calls); this package adds what the portal needs of it:

- `provider`: every ID token's signature is verified (allauth skips it for tokens fetched from
  the token endpoint, which the specification allows over TLS — but the portal decides MFA on
  the token's `amr`/`acr`), userinfo must name the same `sub`, and the token is kept in the
  session for the provider's logout;
- `adapters`: people are matched by the NIP claim to an existing, active account (never by
  e-mail, no sign-up, no manual connecting); the provider's MFA proof stands in for the
  portal's TOTP; logout goes on to the provider's end_session_endpoint.
"""
