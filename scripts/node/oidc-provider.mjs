// A real OpenID Connect provider (npm `oidc-provider`) for Adboard's sign-in tests.
//
// Listens on 127.0.0.1:$OIDC_PROVIDER_PORT (default 43000); issuer = http://127.0.0.1:<port>.
// devInteractions gives a login form (any login becomes `sub`, password ignored) and a consent form.
// One client, `adboard-test` / `adboard-test-secret`, is a *native* application so that any
// loopback port is accepted for its redirect URIs (RFC 8252 §7.3): tests bind the app on
// 127.0.0.1:0 and still use http://127.0.0.1:<port>/login/oidc/callback. A second client,
// `other-client` / `other-client-secret`, is "someone else's app": the JSON API must refuse the
// access tokens it gets. Token introspection (RFC 7662) is on, so a client can ask who an (opaque)
// access token belongs to and which client it was issued to.
import Provider from 'oidc-provider';

const port = Number.parseInt(process.env.OIDC_PROVIDER_PORT ?? '43000', 10);
const issuer = `http://127.0.0.1:${port}`;

const configuration = {
  clients: [
    {
      client_id: 'adboard-test',
      client_secret: 'adboard-test-secret',
      application_type: 'native',
      redirect_uris: [
        'http://127.0.0.1/login/oidc/callback',
        'http://127.0.0.1/login/google/callback',
        'http://localhost/login/oidc/callback',
      ],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'other-client',
      client_secret: 'other-client-secret',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/other/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  features: { devInteractions: { enabled: true }, introspection: { enabled: true } },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scope's claims into the id_token as well (by default they come only from userinfo).
  conformIdTokenClaims: false,
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: `${sub}@example.test`,
          email_verified: true,
          name: `Test ${sub}`,
        };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
