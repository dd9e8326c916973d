'use strict';
// The VidRD page: a form posting to the REST API, job cards fed by server-sent events, and the
// engines panel polled every few seconds so that engines coming and going show up.
const API = 'api';
const $ = (sel, root = document) => root.querySelector(sel);
let token = sessionStorage.getItem('vidrd.token') || '';

function withToken(url) { // media elements and EventSource cannot send an Authorization header
  return token ? url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(token) : url;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers, token ? { Authorization: 'Bearer ' + token } : {});
  const resp = await fetch(API + path, Object.assign({}, options, { headers }));
  if (resp.status === 401) $('#token-box').hidden = false;
  return resp;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

// Defaults depend on the preferred engine's model (the demo model is 32x32): they are loaded
// again when it changes, replacing only values the user has not edited.
async function loadDefaults() {
  const resp = await api('/defaults');
  if (!resp.ok) return;
  const defaults = await resp.json();
  for (const [k, v] of Object.entries(defaults)) {
    const input = $('#job-form [name="' + k + '"]');
    if (!input || k === 'clip_prompts') continue;
    if (input.value === '' || input.value === input.dataset.default) input.value = v;
    input.dataset.default = v;
  }
}

let preferredEngine = null;

function clearErrors() {
  document.querySelectorAll('#job-form .error').forEach(e => { e.textContent = ''; });
  document.querySelectorAll('#job-form .invalid').forEach(e => e.classList.remove('invalid'));
}

function showErrors(body) {
  for (const err of body.errors || []) {
    const field = err.field.replace(/\[\d+\]$/, '');
    const span = $('#job-form .error[data-for="' + field + '"]');
    const input = $('#job-form [name="' + field + '"]');
    if (span) span.textContent = err.message; else $('#form-message').textContent += err.message + ' ';
    if (input) input.classList.add('invalid');
  }
  if (!body.errors) $('#form-message').textContent = body.error;
}

async function submitForm(event) {
  event.preventDefault();
  clearErrors();
  const request = {};
  for (const input of event.target.elements) {
    if (!input.name || input.value.trim() === '' && input.name !== 'prompt') continue;
    request[input.name] = input.name === 'clip_prompts'
      ? input.value.split('\n').map(s => s.trim()).filter(s => s) : input.value;
  }
  const resp = await api('/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
  const body = await resp.json().catch(() => ({ error: resp.statusText }));
  if (resp.status === 201) { follow(render(body)); return; }
  if (resp.status === 429) body.error += ' (retry in ' + resp.headers.get('Retry-After') + ' s)';
  showErrors(body);
}

function render(job) {
  let card = $('#jobs .job[data-id="' + job.id + '"]');
  if (!card) {
    card = el('li', { class: 'job', 'data-id': job.id },
      el('div', { class: 'head' }, el('strong', { class: 'prompt' }, job.parameters.prompt), el('span', { class: 'status' })),
      el('progress', { class: 'bar', max: '1', value: '0' }), el('div', { class: 'info' }),
      el('div', { class: 'previews' }), el('div', { class: 'result' }));
    const cancel = el('button', { type: 'button', class: 'cancel' }, 'Cancel');
    cancel.addEventListener('click', () => api('/jobs/' + job.id, { method: 'DELETE' }));
    $('.head', card).append(cancel);
    $('#jobs').append(card);
  }
  card.className = 'job status-' + job.status;
  $('.status', card).textContent = job.status + (job.reason ? ': ' + job.reason : '');
  $('.cancel', card).hidden = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status);
  showProgress(card, job.progress);
  job.clips_ready.forEach(k => addPreview(card, job.id, k));
  if (job.video_ready) showResult(card, job);
  return card;
}

function showProgress(card, p) {
  $('.bar', card).value = p.fraction;
  const eta = p.eta_ms === undefined || p.fraction >= 1 ? '' : ', about ' + Math.ceil(p.eta_ms / 1000) + ' s left';
  $('.info', card).textContent = 'clip ' + (p.clip + 1) + '/' + p.clips + ', step ' + p.step + '/' + p.steps + eta;
}

function addPreview(card, id, k) {
  if ($('img[data-clip="' + k + '"]', card)) return;
  $('.previews', card).append(el('img', { class: 'preview', 'data-clip': String(k), alt: 'clip ' + k,
    src: withToken(API + '/jobs/' + id + '/clips/' + k + '/preview') }));
}

function showResult(card, job) {
  if ($('video', card)) return;
  const mp4 = document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E"');
  const url = f => API + '/jobs/' + job.id + '/video?format=' + f;
  const video = el('video', { class: 'player', controls: '', loop: '', muted: '', playsinline: '',
    src: withToken(url(mp4 ? 'mp4' : 'webm')) });
  const links = el('p', { class: 'downloads' }, 'Download: ');
  for (const f of ['mp4', 'webm', 'gif']) {
    links.append(el('a', { class: 'download', 'data-format': f, href: withToken(url(f) + '&download=1') }, f), ' ');
  }
  $('.result', card).append(video, links);
}

function follow(card) {
  const id = card.dataset.id;
  const events = new EventSource(withToken(API + '/jobs/' + id + '/events'));
  events.addEventListener('status', e => render(JSON.parse(e.data)));
  events.addEventListener('progress', e => showProgress(card, JSON.parse(e.data)));
  events.addEventListener('clip', e => addPreview(card, id, JSON.parse(e.data).clip));
  for (const end of ['done', 'failed', 'cancelled']) {
    events.addEventListener(end, e => { events.close(); render(JSON.parse(e.data)); });
  }
}

async function loadJobs() {
  const resp = await api('/jobs');
  if (!resp.ok) return;
  for (const job of (await resp.json()).jobs) {
    const card = render(job);
    if (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) follow(card);
  }
}

function table(title, services, keys) {
  const rows = services.map(s => el('tr', {}, ...keys.map(k => el('td', {}, String(s[k] ?? '')))));
  return el('div', { class: 'services' }, el('h3', {}, title + ' (' + services.length + ')'),
    services.length ? el('table', {}, el('tr', {}, ...keys.map(k => el('th', {}, k))), ...rows) : el('p', {}, 'none registered'));
}

async function loadEngines() {
  try {
    const resp = await api('/engines');
    if (!resp.ok) return;
    const e = await resp.json();
    const preferred = JSON.stringify(e.generators.find(g => g.preferred) || null);
    if (preferred !== preferredEngine) loadDefaults(); // also the first time: the form's initial values
    preferredEngine = preferred;
    $('#engines').replaceChildren(
      table('Video generators', e.generators, ['vidrd.engine.name', 'vidrd.engine.version', 'vidrd.model.id', 'vidrd.device', 'service.ranking', 'preferred']),
      table('VAEs (latent codecs)', e.codecs, ['vidrd.vae.kind', 'bundle', 'bundle.version', 'service.ranking', 'preferred']),
      table('Video encoders', e.encoders, ['bundle', 'bundle.version']));
  } finally {
    setTimeout(loadEngines, 3000);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#job-form').addEventListener('submit', submitForm);
  $('#token').value = token;
  $('#token-save').addEventListener('click', () => {
    token = $('#token').value.trim();
    sessionStorage.setItem('vidrd.token', token);
    $('#token-box').hidden = true;
    loadDefaults(); loadJobs();
  });
  loadJobs(); loadEngines();
});
