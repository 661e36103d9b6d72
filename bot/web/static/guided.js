// The guided session: an intro with the doctor note, stop cue and pain before; one exercise per
// screen with its demonstration, dose, cues and a countdown per hold (or a tap per set); then pain
// after and Finish, which records Done or Partly done through the same use case as the chat.

import { ApiError, api, apiUrl, button, el, haptic, navigate, setActions, t } from './ui.js';

const RECORDED = ['done', 'partly', 'skipped'];
const BEEP_KEY = 'hipcheck.beep';
const TICK_MS = 200;
// "30 s" in the browser's language, without a word of our own.
const SECONDS = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'second', unitDisplay: 'narrow' });

let audio = null;

function beepOn() {
  try { return localStorage.getItem(BEEP_KEY) === '1'; } catch (e) { return false; }
}

function beep() {
  if (!beepOn()) return;
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch (e) { /* no audio here */ }
}

function slider(id, labelKey, initial, onchange) {
  const output = el('output', { for: id, class: 'value', id: `${id}-value` }, initial === null ? '–' : String(initial));
  const input = el('input', {
    type: 'range', id, min: '0', max: '10', step: '1', value: String(initial === null ? 0 : initial),
    class: initial === null ? 'unset' : null,
    oninput: (event) => {
      output.textContent = event.target.value;
      event.target.classList.remove('unset');
      onchange(Number(event.target.value));
    },
  });
  return el('div', { class: 'field' },
    el('label', { for: id, class: 'label' }, t(labelKey), ' ', output),
    input,
    el('div', { class: 'scale muted' }, el('span', {}, t('pain_low')), el('span', {}, t('pain_high'))));
}

function freshProgress(exercise) {
  return { timers: exercise.timers.map(() => false), sets: 0 };
}

function complete(exercise, progress) {
  if (exercise.timers.length) return progress.timers.every(Boolean);
  return progress.sets >= Math.max(exercise.sets, 1);
}

export async function renderGuided(view, bar) {
  const session = await api('/api/session');
  const exercises = session.exercises;
  for (const exercise of exercises) {
    if (exercise.demo) new Image().src = apiUrl(exercise.demo); // ready by the time its screen opens
  }
  const state = {
    screen: -1, // -1 the intro, 0..n-1 an exercise, n pain after and Finish
    progress: exercises.map(freshProgress),
    painBefore: session.pain_before,
    painAfter: null,
    notice: null,
  };
  let timer = null; // the running countdown: {index, endsAt, left}
  let interval = null;

  function stopTicking() {
    if (interval) clearInterval(interval);
    interval = null;
  }

  function go(screen) {
    stopTicking();
    timer = null;
    state.screen = screen;
    state.notice = null;
    haptic.impact('light');
    draw();
    window.scrollTo(0, 0);
  }

  function safety() {
    return el('div', { class: 'card safety' },
      el('h3', {}, t('doctor_title')),
      el('p', { id: 'doctor-note' }, session.doctor_note),
      el('p', { id: 'stop-cue', class: 'stop' }, session.stop_cue));
  }

  function intro() {
    if (RECORDED.includes(session.status)) {
      setActions(bar, { label: t('nav_progress'), run: () => navigate('progress') }, null);
      return [
        el('h2', {}, session.routine.name),
        el('p', { class: 'notice', id: 'already' }, t('already', { status: t(`status_${session.status}`) })),
        bar,
      ];
    }
    setActions(bar, { label: t('next'), run: () => go(0) }, null);
    return [
      el('h2', {}, session.routine.name),
      el('p', { class: 'muted' }, t('minutes', { minutes: session.minutes })),
      safety(),
      el('div', { class: 'card' }, slider('pain-before', 'before', state.painBefore, (v) => { state.painBefore = v; })),
      el('ol', { class: 'plan' }, exercises.map((x) => el('li', {}, el('b', {}, x.name), ' ', el('span', { class: 'muted' }, x.dose)))),
      bar,
    ];
  }

  function countdown(exercise, index) {
    const progress = state.progress[index];
    const next = progress.timers.indexOf(false);
    const current = timer ? timer.index : next;
    const spec = exercise.timers[current === -1 ? exercise.timers.length - 1 : current];
    const left = timer ? timer.left : (current === -1 ? 0 : spec.seconds);
    const fraction = spec.seconds ? left / spec.seconds : 0;
    const ring = el('div', { class: 'ring', style: `--left:${fraction}` },
      el('span', { class: 'seconds', id: 'countdown' }, String(Math.ceil(left))),
      el('span', { class: 'ring-label', id: 'countdown-label' }, current === -1 ? t('hold_done') : spec.label));
    let action;
    if (current === -1) {
      action = null;
    } else if (timer && interval) {
      action = button(t('pause'), pause, 'primary big', 'timer-toggle');
    } else {
      const label = timer ? t('resume') : t('start', { seconds: spec.seconds });
      action = button(label, () => run(exercise, index, current), 'primary big', 'timer-toggle');
    }
    const list = el('ul', { class: 'holds' }, exercise.timers.map((hold, i) => el('li',
      { class: progress.timers[i] ? 'done' : (i === current ? 'current' : ''), 'data-done': progress.timers[i] ? '1' : '0' },
      el('span', {}, hold.label), el('span', { class: 'muted' }, SECONDS.format(hold.seconds)), el('span', { class: 'tick' }, progress.timers[i] ? '✓' : ''))));
    return el('div', { class: 'card timer' }, ring, action, list);
  }

  function run(exercise, index, hold) {
    const seconds = timer ? timer.left : exercise.timers[hold].seconds;
    timer = { index: hold, endsAt: Date.now() + seconds * 1000, left: seconds };
    haptic.impact('medium');
    if (beepOn() && !audio) {
      try { audio = new AudioContext(); } catch (e) { /* no audio here */ }
    }
    interval = setInterval(() => tick(exercise, index), TICK_MS);
    draw();
  }

  function pause() {
    stopTicking();
    haptic.impact('light');
    draw();
  }

  function tick(exercise, index) {
    timer.left = Math.max(0, (timer.endsAt - Date.now()) / 1000);
    if (timer.left <= 0) {
      stopTicking();
      state.progress[index].timers[timer.index] = true;
      timer = null;
      haptic.notify('success');
      beep();
      draw();
      return;
    }
    const shown = document.getElementById('countdown');
    if (shown) shown.textContent = String(Math.ceil(timer.left));
    const ring = document.querySelector('.ring');
    if (ring) ring.style.setProperty('--left', String(timer.left / exercise.timers[timer.index].seconds));
  }

  function sets(exercise, index) {
    const progress = state.progress[index];
    const total = Math.max(exercise.sets, 1);
    const taps = [];
    for (let n = 1; n <= total; n += 1) {
      const done = n <= progress.sets;
      taps.push(el('button', {
        type: 'button', class: `btn set ${done ? 'done' : ''}`, 'aria-pressed': done ? 'true' : 'false',
        disabled: n !== progress.sets + 1, 'data-set': String(n),
        onclick: () => { progress.sets = n; haptic.impact('medium'); draw(); },
      }, done ? `✓ ${t('set_done', { n })}` : t('set_done', { n })));
    }
    return el('div', { class: 'card' },
      el('p', { class: 'muted', id: 'sets-count' }, t('sets_done', { done: progress.sets, total })),
      el('div', { class: 'sets' }, taps));
  }

  async function ease(index) {
    const exercise = exercises[index];
    try {
      exercises[index] = await api('/api/session/ease', { day: session.day, step: exercise.step });
      state.progress[index] = freshProgress(exercises[index]);
      state.notice = t('eased');
      haptic.notify('warning');
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      state.notice = t(error.body.error === 'gentlest' ? 'no_easier' : 'error');
      haptic.notify('error');
    }
    stopTicking();
    timer = null;
    draw();
  }

  function exerciseScreen(index) {
    const exercise = exercises[index];
    setActions(bar,
      { label: t('next'), run: () => go(index + 1) },
      { label: t('back'), run: () => go(index - 1) });
    return [
      el('p', { class: 'muted step', id: 'step' }, t('step_of', { n: index + 1, total: exercises.length })),
      el('h2', { id: 'exercise-name' }, exercise.name),
      exercise.demo ? el('img', { class: 'demo', src: apiUrl(exercise.demo), alt: exercise.name, width: '320', height: '240', decoding: 'async' }) : null,
      el('p', { class: 'dose', id: 'dose' }, exercise.dose),
      state.notice ? el('p', { class: 'notice', id: 'notice', role: 'status' }, state.notice) : null,
      exercise.timers.length ? countdown(exercise, index) : sets(exercise, index),
      el('ol', { class: 'cues' }, exercise.cues.map((cue) => el('li', {}, cue))),
      el('div', { class: 'row' },
        button(t('hurts'), () => ease(index).catch(fail), 'danger', 'hurts'),
        el('label', { class: 'toggle' },
          el('input', { type: 'checkbox', id: 'beep', checked: beepOn(), onchange: (event) => {
            try { localStorage.setItem(BEEP_KEY, event.target.checked ? '1' : '0'); } catch (e) { /* private mode */ }
          } }),
          ' ', t('beep'))),
      el('p', { class: 'stop small' }, session.stop_cue),
      bar,
    ];
  }

  async function finish() {
    const outcome = exercises.every((x, i) => complete(x, state.progress[i])) ? 'done' : 'partly';
    const result = await api('/api/session/finish', {
      day: session.day, outcome, pain_before: state.painBefore, pain_after: state.painAfter,
    });
    session.status = result.status;
    haptic.notify('success');
    setActions(bar, { label: t('nav_progress'), run: () => navigate('progress') }, null);
    view.replaceChildren(
      el('h2', { id: 'finished', 'data-status': result.status },
        t(result.status === 'done' ? 'finished_done' : 'finished_partly', { streak: result.streak })),
      // What the chat answers to the same ratings (high-pain advice, levels moved): safety text.
      ...(result.advice || []).map((text) => el('p', { class: 'notice advice', role: 'status' }, text)),
      safety(),
      bar);
  }

  function fail(error) {
    haptic.notify('error');
    state.notice = t('error');
    draw();
  }

  function finishScreen() {
    const done = exercises.filter((x, i) => complete(x, state.progress[i])).length;
    setActions(bar,
      { label: t(done === exercises.length ? 'finish' : 'finish_partly'), run: () => finish().catch(fail) },
      { label: t('back'), run: () => go(exercises.length - 1) });
    return [
      el('h2', {}, session.routine.name),
      el('p', { class: 'muted', id: 'completed' }, t('completed', { done, total: exercises.length })),
      state.notice ? el('p', { class: 'notice error', role: 'alert' }, state.notice) : null,
      el('div', { class: 'card' }, slider('pain-after', 'after', state.painAfter, (v) => { state.painAfter = v; })),
      bar,
    ];
  }

  function draw() {
    let children;
    if (state.screen < 0) children = intro();
    else if (state.screen < exercises.length) children = exerciseScreen(state.screen);
    else children = finishScreen();
    view.replaceChildren(...children.filter(Boolean));
    view.dataset.screen = String(state.screen);
  }

  draw();
  return () => { stopTicking(); };
}
