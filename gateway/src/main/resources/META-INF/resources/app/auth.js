// Sign-in with Keycloak: the authorization code flow with PKCE (S256) for the public client
// "portal". Written here because no OIDC client library is published on Maven Central; the flow
// is the standard one: a random verifier and state kept in sessionStorage until the redirect comes
// back, the code exchanged once, the tokens kept in sessionStorage (gone with the tab) and
// refreshed before they expire.

const STORE = 'mihub.tokens';
const PENDING = 'mihub.pkce';
let config;
let tokens = JSON.parse(sessionStorage.getItem(STORE) || 'null');

function random(bytes) {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}

function base64url(data) {
  return btoa(String.fromCharCode(...new Uint8Array(data))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function challenge(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

function redirectUri() {
  return location.origin + '/';
}

function keep(answer) {
  tokens = {
    access: answer.access_token, refresh: answer.refresh_token, id: answer.id_token,
    expires: Date.now() + (answer.expires_in - 20) * 1000,
  };
  sessionStorage.setItem(STORE, JSON.stringify(tokens));
}

async function tokenRequest(form) {
  const reply = await fetch(config.issuer + '/protocol/openid-connect/token', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  if (!reply.ok) {
    throw new Error('sign-in failed: ' + reply.status);
  }
  keep(await reply.json());
}

/** This installation's federation node id ('' for a single installation): the search offers the whole consortium. */
export function federationNode() {
  return (config && config.federation) || '';
}

/** Loads the realm settings and, when Keycloak has just redirected back, completes the sign-in. */
export async function start() {
  config = await (await fetch('/portal/config')).json();
  const query = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  if (query.has('code') && pending) {
    sessionStorage.removeItem(PENDING);
    if (query.get('state') !== pending.state) {
      throw new Error('sign-in answer does not match the request (state)');
    }
    await tokenRequest({ grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
      code_verifier: pending.verifier });
    history.replaceState(null, '', '/' + (pending.back || '#/'));
  } else if (query.has('error')) {
    history.replaceState(null, '', '/');
  }
}

export async function login(language) {
  const verifier = random(48);
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, back: location.hash }));
  const url = new URL(config.issuer + '/protocol/openid-connect/auth');
  url.search = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri(), state,
    code_challenge: await challenge(verifier), code_challenge_method: 'S256', ui_locales: language,
  });
  location.assign(url);
}

export function logout() {
  const id = tokens && tokens.id;
  tokens = null;
  sessionStorage.removeItem(STORE);
  const url = new URL(config.issuer + '/protocol/openid-connect/logout');
  url.search = new URLSearchParams({ client_id: config.clientId, post_logout_redirect_uri: redirectUri(),
    ...(id ? { id_token_hint: id } : {}) });
  location.assign(url);
}

/** The access token, refreshed when it is about to expire; null when signed out. */
export async function accessToken() {
  if (!tokens) {
    return null;
  }
  if (Date.now() > tokens.expires) {
    try {
      await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
    } catch (e) {
      tokens = null;
      sessionStorage.removeItem(STORE);
      return null;
    }
  }
  return tokens.access;
}

export function signedIn() {
  return tokens !== null;
}
