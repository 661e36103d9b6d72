// Hip Check Mini App: the shell (theme, views and tabs). Plain ES modules, no build step.
// Works without telegram-web-app.js: see ui.js for the launch data and the on-page buttons.

import { WA, api, inTelegram, el, launchParam, setActions, setNavigator, setTexts, showError, t } from './ui.js';
import { renderGuided } from './guided.js';
import { renderProgress } from './progress.js';
import { renderSettings } from './settings.js';

const VIEWS = { guided: renderGuided, progress: renderProgress, settings: renderSettings };

function applyTheme() {
  const root = document.documentElement;
  const params = (inTelegram && WA.themeParams) || {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') root.style.setProperty(`--tg-theme-${name.replace(/_/g, '-')}`, value);
  }
  const dark = inTelegram && WA.colorScheme
    ? WA.colorScheme === 'dark'
    : window.matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.scheme = dark ? 'dark' : 'light';
}

function currentView() {
  const name = new URLSearchParams(location.search).get('view') || launchParam('view')
    || (location.hash && !location.hash.includes('=') ? location.hash.slice(1) : '');
  return name in VIEWS ? name : 'progress';
}

let cleanup = null;

async function show(name) {
  if (cleanup) cleanup();
  cleanup = null;
  const url = new URL(location.href);
  url.searchParams.set('view', name);
  history.replaceState(null, '', url);
  for (const tab of document.querySelectorAll('#tabs button')) {
    tab.setAttribute('aria-current', tab.dataset.view === name ? 'page' : 'false');
  }
  const view = document.getElementById('view');
  const bar = el('div', { class: 'actions', id: 'actions' });
  setActions(bar, null, null);
  view.replaceChildren(el('p', { class: 'muted' }, t('loading')));
  document.body.dataset.view = name;
  try {
    cleanup = (await VIEWS[name](view, bar)) || null;
  } catch (error) {
    showError(view, error);
  }
  document.body.dataset.ready = name;
}

async function start() {
  applyTheme();
  setNavigator(show);
  if (WA) {
    try { WA.ready(); WA.expand(); } catch (e) { /* old client */ }
    if (WA.onEvent) WA.onEvent('themeChanged', applyTheme);
  }
  const view = document.getElementById('view');
  try {
    setTexts((await api('/api/texts')).texts);
  } catch (error) {
    showError(view, error);
    document.body.dataset.ready = 'error';
    return;
  }
  document.title = t('title');
  document.getElementById('title').textContent = t('title');
  for (const tab of document.querySelectorAll('#tabs button')) {
    tab.textContent = t(`nav_${tab.dataset.view}`);
    tab.addEventListener('click', () => show(tab.dataset.view));
  }
  document.getElementById('tabs').hidden = false;
  await show(currentView());
}

start();
