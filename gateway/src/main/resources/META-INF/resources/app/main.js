// The portal: a page per route (#/search, #/materials/{id}, #/datasets, #/datasets/{id}, #/models,
// #/models/{id}, #/campaigns, #/campaigns/{id}, #/simulations/{id}), each built from /api/v1 only.
import { start, login, logout, signedIn } from './auth.js';
import { get, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { t, language, setLanguage } from './i18n.js';
import { searchPage, materialPage } from './catalog.js';
import { session } from './session.js';
import { datasetsPage, datasetPage } from './datasets.js';
import { modelsPage, modelPage } from './models.js';
import { campaignsPage, campaignPage, simulationPage } from './campaigns.js';

const view = document.getElementById('view');

const routes = [
  [/^#\/materials\/([\w-]+)$/, materialPage],
  [/^#\/datasets\/([\w-]+)$/, datasetPage],
  [/^#\/datasets$/, datasetsPage],
  [/^#\/models\/([\w-]+)$/, modelPage],
  [/^#\/models$/, modelsPage],
  [/^#\/campaigns\/([\w-]+)$/, campaignPage],
  [/^#\/campaigns$/, campaignsPage],
  [/^#\/simulations\/([\w-]+)$/, simulationPage],
  [/^(#\/?(search)?)?$/, searchPage],
];

function header() {
  const here = location.hash || '#/';
  fill(document.getElementById('nav'), [
    ['#/search', t('nav.catalog')], ['#/datasets', t('nav.datasets')], ['#/models', t('nav.models')],
    ['#/campaigns', t('nav.campaigns')],
  ].map(([href, label]) => h('a', { href, class: here.startsWith(href) ? 'active' : null }, label)));
  const who = document.getElementById('who');
  if (session.me) {
    const me = session.me.gateway;
    fill(who, h('span', { id: 'user' }, me.username), ' · ', h('span', { id: 'org' }, me.org), ' · ',
      h('span', { id: 'roles' }, me.roles.map((role) => t('role.' + role)).join(', ')), ' ',
      h('button', { type: 'button', class: 'ghost', id: 'logout', onclick: logout }, t('auth.logout')));
  } else {
    fill(who, h('button', { type: 'button', id: 'login', onclick: () => login(language()) }, t('auth.login')));
  }
  const switcher = document.getElementById('lang');
  switcher.textContent = language() === 'ja' ? 'English' : '日本語';
  switcher.onclick = () => {
    setLanguage(language() === 'ja' ? 'en' : 'ja');
    render();
  };
  document.documentElement.lang = language();
}

export async function render() {
  header();
  const hash = location.hash;
  for (const [pattern, page] of routes) {
    const match = hash.match(pattern);
    if (match) {
      fill(view, h('p', { class: 'muted' }, t('common.loading')));
      try {
        await page(view, ...match.slice(1));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          fill(view, h('p', { id: 'page-error' }, t('auth.required'), ' ',
            h('button', { type: 'button', onclick: () => login(language()) }, t('auth.login'))));
        } else {
          fill(view, h('p', { class: 'error', id: 'page-error' }, e instanceof ApiError && e.status === 404
            ? t('common.not_found') : e.message));
        }
      }
      return;
    }
  }
  fill(view, h('p', { class: 'error' }, t('common.not_found')));
}

async function boot() {
  try {
    await start();
  } catch (e) {
    fill(view, h('p', { class: 'error' }, e.message));
  }
  if (signedIn()) {
    try {
      session.me = await get('/api/v1/me');
    } catch (e) {
      session.me = null;
    }
  }
  window.addEventListener('hashchange', render);
  await render();
}

boot();
