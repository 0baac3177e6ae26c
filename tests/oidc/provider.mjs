// A real OpenID Connect provider (panva/oidc-provider) for the portal's tests, on loopback.
// Configured from the environment by tests/oidc/provider.py. MODE makes it misbehave on purpose, to check that
// the portal refuses: "tamper" alters the ID token after signing, "audience" signs one for another client,
// "expired" signs one that has already expired.
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const mode = process.env.MODE || 'normal';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(jwk, 'RS256');

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  scopes: ['openid', 'email', 'profile', 'portal'],
  claims: { openid: ['sub'], email: ['email'], profile: ['given_name', 'usual_name', 'family_name'], portal: ['direction', 'roles'] },
  conformIdTokenClaims: false,  // the claims go in the ID token as well (a simpler test provider)
  findAccount: async (ctx, id) => {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['portal-tests'] },
});

// The misbehaving modes rewrite the token endpoint's answer.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || mode === 'normal' || !ctx.body || !ctx.body.id_token) return;
  const token = ctx.body.id_token;
  const claims = decodeJwt(token);
  if (mode === 'tamper') {
    const [header, , signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, email: 'intrus@example.org' })).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${header}.${changed}.${signature}` };
  } else {
    const now = Math.floor(Date.now() / 1000);
    const payload = mode === 'audience' ? { ...claims, aud: 'another-client' } : { ...claims, iat: now - 7200, exp: now - 3600 };
    const signed = await new SignJWT(payload).setProtectedHeader(decodeProtectedHeader(token)).sign(signingKey);
    ctx.body = { ...ctx.body, id_token: signed };
  }
});

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
