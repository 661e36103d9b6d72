// Shared by the views: the Telegram bridge, the API client, the texts and a tiny DOM builder.
// In a plain browser (no telegram-web-app.js, or one that is not inside Telegram) the launch data
// comes from the URL (#tgWebAppData=... or ?tgWebAppData=...) and on-page buttons replace
// Telegram's MainButton and BackButton.

const FALLBACK = 'Could not load. Please try again.';

export const WA = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;

/** Inside Telegram (not a plain browser that merely loaded the script). */
export const inTelegram = !!(WA && WA.platform && WA.platform !== 'unknown'
  && WA.MainButton && WA.BackButton && (!WA.isVersionAtLeast || WA.isVersionAtLeast('6.1')));

export function launchParam(name) {
  const hash = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  return hash.get(name) || query.get(name) || '';
}

const initData = (WA && WA.initData) || launchParam('tgWebAppData');

let texts = {};

export function setTexts(loaded) {
  texts = loaded;
}

let navigator_ = () => {};

export function setNavigator(go) {
  navigator_ = go;
}

/** Switches to another view (guided, progress or settings). */
export function navigate(name) {
  navigator_(name);
}

/** The text for `key` with {placeholders} filled in; the key itself when it is missing. */
export function t(key, values = {}) {
  const template = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || String(status));
    this.status = status;
    this.body = body || {};
  }
}

/**
 * An API path ("/api/...") relative to the page (served at <base>/app/), so the page also works
 * behind a proxy that mounts the bot under a path prefix.
 */
export function apiUrl(path) {
  return path.startsWith('/') ? new URL(`..${path}`, document.baseURI).href : path;
}

/** Calls the JSON API with the launch data; throws ApiError on any non-2xx answer. */
export async function api(path, body) {
  const init = { headers: { Authorization: `tma ${initData}` } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(apiUrl(path), init);
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Telegram haptics when available; nothing in a plain browser. */
export const haptic = {
  impact(style = 'light') {
    try { WA && WA.HapticFeedback && WA.HapticFeedback.impactOccurred(style); } catch (e) { /* old client */ }
  },
  notify(type = 'success') {
    try { WA && WA.HapticFeedback && WA.HapticFeedback.notificationOccurred(type); } catch (e) { /* old client */ }
  },
};

// One MainButton and one BackButton handler each; the current view swaps the action.
let mainAction = null;
let backAction = null;
if (inTelegram) {
  WA.MainButton.onClick(() => mainAction && mainAction());
  WA.BackButton.onClick(() => backAction && backAction());
}

/**
 * The primary and back actions of the current screen: Telegram's MainButton and BackButton inside
 * Telegram, the on-page buttons in `bar` otherwise. Pass null to hide one.
 */
export function setActions(bar, main, back) {
  mainAction = main ? main.run : null;
  backAction = back ? back.run : null;
  bar.replaceChildren();
  if (inTelegram) {
    if (main) {
      WA.MainButton.setText(main.label);
      WA.MainButton.show();
    } else {
      WA.MainButton.hide();
    }
    if (back) WA.BackButton.show();
    else WA.BackButton.hide();
    return;
  }
  if (back) bar.append(button(back.label, back.run, 'secondary', 'page-back'));
  if (main) bar.append(button(main.label, main.run, 'primary', 'page-main'));
}

/** A small element builder: el('p', {class: 'x'}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export function button(label, onclick, kind = 'secondary', id = null) {
  return el('button', { type: 'button', class: `btn ${kind}`, onclick, id }, label);
}

/** A short local date for an ISO day ("2026-11-30"), in the browser's language. */
export function shortDate(day) {
  const date = new Date(`${day}T12:00:00Z`);
  return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** Shows what went wrong in the view, in the user's words when the texts loaded. */
export function showError(view, error) {
  haptic.notify('error');
  let key = 'error';
  if (error instanceof ApiError && error.status === 401) key = 'unauthorized';
  if (error instanceof ApiError && error.body.error === 'needs_setup') key = 'needs_setup';
  const message = Object.keys(texts).length ? t(key) : FALLBACK;
  view.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, message));
}

