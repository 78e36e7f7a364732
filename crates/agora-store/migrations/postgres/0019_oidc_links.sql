-- Which user an OpenID Connect identity signs in as: the provider's issuer and
-- its stable subject (OpenID Connect Core §2: `sub` is unique and never reassigned
-- within an issuer). Linked at the first sign-in (by verified e-mail, or by
-- creating the account); later sign-ins follow the link, whatever the e-mail
-- becomes at the provider.
CREATE TABLE oidc_links (
    issuer       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    principal_id BIGINT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_links_principal ON oidc_links (principal_id);
