// Settings: reminder time, session days, summary day, pause and resume, and the browser's time
// zone offered for one-tap confirmation. Every change shows the next reminder it leads to.

import { ApiError, api, button, el, haptic, shortDate, t } from './ui.js';

const PAUSES = [3, 7, 14];

function browserZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { return ''; }
}

function when(iso, zone) {
  const options = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return new Date(iso).toLocaleString(undefined, { ...options, timeZone: zone });
  } catch (e) {
    return new Date(iso).toLocaleString(undefined, options);
  }
}

export async function renderSettings(view) {
  let data = await api('/api/settings');
  let notice = null;
  let failed = false;

  async function save(change) {
    try {
      data = await api('/api/settings', change);
      notice = t('saved');
      failed = false;
      haptic.notify('success');
    } catch (error) {
      notice = error instanceof ApiError && error.status === 400 && error.body.error ? error.body.error : t('error');
      failed = true;
      haptic.notify('error');
    }
    draw();
  }

  function draw() {
    const days = new Set(data.days);
    const time = el('input', { type: 'time', id: 'time', value: data.time, required: true });
    const dayButtons = [];
    for (let d = 0; d < 7; d += 1) {
      dayButtons.push(el('button', {
        type: 'button', class: 'btn day-toggle', 'aria-pressed': days.has(d) ? 'true' : 'false', 'data-day': String(d),
        onclick: (event) => {
          const on = event.currentTarget.getAttribute('aria-pressed') !== 'true';
          event.currentTarget.setAttribute('aria-pressed', on ? 'true' : 'false');
          haptic.impact('light');
        },
      }, t(`day_${d}`)));
    }
    const summary = el('select', { id: 'summary-day' },
      el('option', { value: '' }, t('summary_off')),
      [0, 1, 2, 3, 4, 5, 6].map((d) => el('option', { value: String(d), selected: data.summary_day === d }, t(`day_${d}`))));
    if (data.summary_day === null) summary.value = '';

    const submit = () => {
      const chosen = dayButtons.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => Number(b.dataset.day));
      const change = { time: time.value, days: chosen, summary_day: summary.value === '' ? null : Number(summary.value) };
      return save(change);
    };

    const zone = browserZone();
    const zoneBox = el('section', { class: 'card' }, el('h3', {}, t('zone')),
      el('p', { id: 'zone-current' }, t('zone_current', { zone: data.zone })),
      zone && zone !== data.zone ? button(t('zone_use', { zone }), () => save({ zone }), 'primary', 'zone-use') : null);

    const pauseBox = el('section', { class: 'card' }, el('h3', {}, t('pause_title')),
      data.paused_until
        ? [el('p', { id: 'paused' }, t('paused_until', { date: shortDate(data.paused_until) })),
          button(t('resume_now'), () => save({ resume: true }), 'primary', 'resume')]
        : el('div', { class: 'row' }, PAUSES.map((n) => button(t('pause_for', { days: n }), () => save({ pause_days: n }), 'secondary', `pause-${n}`))));

    view.replaceChildren(...[
      el('p', { class: 'notice', id: 'next-reminder' },
        data.next_reminder ? t('next_reminder', { when: when(data.next_reminder, data.zone) }) : t('no_reminder')),
      notice ? el('p', { class: `notice ${failed ? 'error' : 'ok'}`, id: 'saved', role: 'status' }, notice) : null,
      el('section', { class: 'card' },
        el('label', { class: 'label', for: 'time' }, t('time')), time),
      el('section', { class: 'card flush' },
        el('h3', {}, t('days')), el('div', { class: 'days' }, dayButtons)),
      el('section', { class: 'card' },
        el('label', { class: 'label', for: 'summary-day' }, t('summary_day')), summary,
        button(t('save'), submit, 'primary', 'save')),
      zoneBox,
      pauseBox].filter(Boolean));
  }

  draw();
}
