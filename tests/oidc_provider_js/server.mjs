// Loopback OpenID Connect provider for the Samspill test suite.
//
// This runs panva's certified `oidc-provider` (https://github.com/panva/node-oidc-provider)
// with one statically configured confidential client and a minimal login +
// consent UI that tests drive over real HTTP (see tests/oidc_provider.py).
//
// Usage: node server.mjs '<json config>'
//
// Config keys (all set by tests/oidc_provider.py):
//   host                        interface to bind, e.g. "127.0.0.1"
//   portFile                    path; "<port>\n" is written here once listening
//   clientId, clientSecret      the confidential client
//   redirectUris                list of allowed redirect_uri values
//   postLogoutRedirectUris      list (may be empty)
//   tokenEndpointAuthMethod     "client_secret_basic" or "client_secret_post"
//   codeTtlSeconds              authorization code lifetime (integer seconds)
//   requirePkce                 boolean; if true, PKCE (S256) is mandatory
//   conformIdTokenClaims        boolean, or null for the provider's default (true: scope-requested
//                               claims such as email only at userinfo, as OpenID Connect Core says)
//   emailVerifiedClaim          boolean (default true); false: the provider never asserts
//                               email_verified (Entra ID style: not in claims_supported either)
//
// The process exits when its stdin is closed, so it never outlives the Python
// process that started it (even if that one is killed with SIGKILL).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);

// Claims per account (sub), filled in by the login form.
const accounts = new Map();

function htmlEscape(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${htmlEscape(title)}</title></head>
<body><h1>${htmlEscape(title)}</h1>${body}</body></html>`;
}

function send(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function makeProvider(issuer) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    use: 'sig',
    alg: 'RS256',
  };

  return new Provider(issuer, {
    clients: [
      {
        client_id: config.clientId,
        client_secret: config.clientSecret,
        redirect_uris: config.redirectUris,
        post_logout_redirect_uris: config.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: config.tokenEndpointAuthMethod,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: config.emailVerifiedClaim === false ? ['email'] : ['email', 'email_verified'],
      profile: ['name'],
    },
    // false puts the scope-requested claims (email, name, ...) into the ID token as well, not
    // only into the userinfo response; null leaves the provider's default (true).
    ...(config.conformIdTokenClaims == null ? {} : { conformIdTokenClaims: config.conformIdTokenClaims }),
    pkce: { required: () => Boolean(config.requirePkce) },
    ttl: {
      AuthorizationCode: config.codeTtlSeconds,
      AccessToken: 3600,
      IdToken: 3600,
      RefreshToken: 86400,
      Grant: 86400,
      Interaction: 3600,
      Session: 86400,
    },
    features: {
      devInteractions: { enabled: false },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, sub) {
      const stored = accounts.get(sub);
      if (!stored) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, ...stored };
        },
      };
    },
  });
}

async function handleInteraction(provider, req, res) {
  const url = new URL(req.url, 'http://placeholder');
  const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/);
  if (!match) return send(res, 404, page('Not found', ''));
  const [, uid, action] = match;

  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Interaction mismatch', ''));
  const { prompt, params } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      return send(res, 200, page('Sign in', `
<p>Client: <code>${htmlEscape(params.client_id)}</code></p>
<form method="post" action="/interaction/${htmlEscape(uid)}/login" id="login">
  <label>Subject <input type="text" name="sub" required autofocus></label>
  <label>Email <input type="email" name="email"></label>
  <label><input type="checkbox" name="email_verified" value="true" checked> Email verified</label>
  <label>Name <input type="text" name="name"></label>
  <button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${htmlEscape(uid)}/abort">Cancel</a></p>`));
    }
    if (prompt.name === 'consent') {
      return send(res, 200, page('Authorize', `
<p>Client <code>${htmlEscape(params.client_id)}</code> asks for: <code>${htmlEscape(params.scope)}</code></p>
<form method="post" action="/interaction/${htmlEscape(uid)}/confirm" id="consent">
  <button type="submit">Allow</button>
</form>
<p><a href="/interaction/${htmlEscape(uid)}/abort">Cancel</a></p>`));
    }
    return send(res, 400, page(`Unsupported prompt ${prompt.name}`, ''));
  }

  if (req.method === 'POST' && action === 'login') {
    if (prompt.name !== 'login') return send(res, 400, page('Not a login prompt', ''));
    const form = await readForm(req);
    const sub = form.get('sub');
    if (!sub) return send(res, 400, page('sub is required', ''));
    const claims = {};
    if (form.get('email')) {
      claims.email = form.get('email');
      claims.email_verified = form.get('email_verified') === 'true';
    }
    if (form.get('name')) claims.name = form.get('name');
    accounts.set(sub, claims);
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub } },
      { mergeWithLastSubmission: false },
    );
  }

  if (req.method === 'POST' && action === 'confirm') {
    if (prompt.name !== 'consent') return send(res, 400, page('Not a consent prompt', ''));
    const { accountId } = details.session;
    let grant;
    if (details.grantId) {
      grant = await provider.Grant.find(details.grantId);
    } else {
      grant = new provider.Grant({ accountId, clientId: params.client_id });
    }
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    if (prompt.details.missingOIDCClaims) {
      grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    }
    if (prompt.details.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }

  if (req.method === 'GET' && action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
  }

  return send(res, 405, page('Method not allowed', ''));
}

let provider;
let providerCallback;

const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    handleInteraction(provider, req, res).catch((err) => {
      console.error('interaction error', err);
      if (!res.headersSent) send(res, 400, page(`Interaction error: ${err.name}`, htmlEscape(err.message)));
      else res.end();
    });
    return;
  }
  providerCallback(req, res);
});

server.listen(0, config.host, () => {
  const { port } = server.address();
  provider = makeProvider(`http://${config.host}:${port}`);
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  // error_detail says why (e.g. "authorization code is expired"); the client only
  // ever sees the generic error / error_description.
  for (const event of ['grant.error', 'authorization.error', 'userinfo.error']) {
    provider.on(event, (_ctx, err) => {
      console.error(`${event}: ${err.error ?? err.name}: ${err.error_detail ?? err.error_description ?? err.message}`);
    });
  }
  providerCallback = provider.callback();
  const tmp = `${config.portFile}.tmp`;
  writeFileSync(tmp, `${port}\n`);
  renameSync(tmp, config.portFile);
  console.log(`oidc-provider listening on http://${config.host}:${port}`);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}

process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
