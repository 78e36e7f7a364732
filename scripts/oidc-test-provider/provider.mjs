// A local OpenID Connect provider for Agora's tests: one confidential client
// ("agora"), authorization code with PKCE required, and oidc-provider's
// development sign-in and consent forms (any login name signs in; the account's
// claims are derived from it). Never for production.
//
//   node provider.mjs            environment:
//     OIDC_PORT       port on 127.0.0.1 (default 0: any free port)
//     OIDC_REDIRECT   the client's redirect URI(s), comma-separated (required)
//     OIDC_SECRET     the client secret (default "agora-test-secret")
//
// Prints one line `issuer http://127.0.0.1:PORT` on stdout once it listens, then
// logs nothing; it stops with its parent (stdin closed) or on SIGTERM.
import Provider from 'oidc-provider';

const redirects = (process.env.OIDC_REDIRECT || '').split(',').map((s) => s.trim()).filter(Boolean);
if (redirects.length === 0) {
  console.error('OIDC_REDIRECT is required');
  process.exit(2);
}
const secret = process.env.OIDC_SECRET || 'agora-test-secret';

// The claims of an account are derived from its login name: `jane` is
// jane@example.org, "Jane Test"; `unverified-*` logins have an unverified e-mail,
// `noemail-*` logins none, so that tests can see how Agora matches accounts.
function claimsOf(id) {
  const claims = { sub: `sub-${id}`, preferred_username: id, name: `${id[0].toUpperCase()}${id.slice(1)} Test` };
  if (!id.startsWith('noemail-')) {
    claims.email = `${id}@example.org`;
    claims.email_verified = !id.startsWith('unverified-');
  }
  return claims;
}

const configuration = {
  clients: [
    {
      client_id: 'agora',
      client_secret: secret,
      redirect_uris: redirects,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true, methods: ['S256'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  // ID tokens carry the claims, so a client need not call the userinfo endpoint.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => claimsOf(id),
  }),
  cookies: { keys: ['agora-oidc-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AuthorizationCode: 60, IdToken: 600, AccessToken: 600 },
};

const port = Number(process.env.OIDC_PORT || 0);
const server = (await import('node:http')).createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  // Silence the development-only warnings on stderr: tests read stdout.
  provider.on('server_error', (_ctx, err) => console.error('oidc server error:', err));
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
