// A real OpenID Connect provider for the tests (panva's certified `oidc-provider`), standing in
// for the city's identity provider. Started by tests/oidc/conftest.py on a free port:
//
//   OIDC_PORT      the port to listen on (127.0.0.1); the issuer is http://127.0.0.1:<port>
//   OIDC_CLIENTS   JSON list of client metadata (client_id, client_secret, redirect_uris, ...)
//   OIDC_ACCOUNTS  JSON object: login -> {nip, name, email, amr: [...], acr, tamper}
//
// Its login page asks only for the login (no password): the tests are about what the portal does
// with what the provider asserts, not about the provider's own login. `amr`/`acr` of the account
// go into the session and so into the ID token. An account with `tamper: true` gets an ID token
// whose payload claims MFA ("amr": ["pwd", "mfa"]) while its signature is that of the real token
// — what a forged token looks like to the relying party.
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

const provider = new Provider(issuer, {
  clients,
  claims: {
    // acr/amr/auth_time come from the login (interactionFinished), into the ID token
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    profile: ['name', 'nip'],
    email: ['email', 'email_verified'],
  },
  acrValues: [...new Set(Object.values(accounts).map((a) => a.acr).filter(Boolean))],
  cookies: { keys: ['oidc-test-provider-only'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Keluar dari penyedia identitas?', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ya, keluar</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Anda sudah keluar', '');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: account.name,
          email: account.email,
          email_verified: true,
          ...(account.nip === undefined ? {} : { nip: account.nip }),
        };
      },
    };
  },
  // First-party client: the grant is given at login, there is no consent screen.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
});

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

async function interactions(ctx, next) {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const { req, res } = ctx;
  const details = await provider.interactionDetails(req, res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page('Masuk ke penyedia identitas', `
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label for="login">Nama pengguna</label> <input id="login" name="login" autofocus>
<button type="submit">Masuk</button></form>`);
    return undefined;
  }
  const { login } = await readForm(req);
  const account = accounts[login];
  if (!account) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Akun tidak dikenal', '');
    return undefined;
  }
  ctx.respond = false;
  await provider.interactionFinished(req, res, {
    login: {
      accountId: login,
      amr: account.amr || ['pwd'],
      ...(account.acr ? { acr: account.acr } : {}),
    },
  }, { mergeWithLastSubmission: false });
  return undefined;
}

function b64json(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString());
}

async function tamper(ctx, next) {
  await next();
  if (ctx.path !== '/token' || !ctx.body?.id_token) return;
  const [header, payload, signature] = ctx.body.id_token.split('.');
  const claims = b64json(payload);
  if (!accounts[claims.sub]?.tamper) return;
  claims.amr = ['pwd', 'mfa'];
  const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
  ctx.body = { ...ctx.body, id_token: `${header}.${forged}.${signature}` };
}

provider.use(tamper);
provider.use(interactions);

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
