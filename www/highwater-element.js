// <highwater-playground>: the Highwater playground as one tag for documentation pages.
//
//   <script type="module" src="https://…/highwater-element.js"></script>
//   <highwater-playground tutorial="05-acks1-loses-a-record" step="3"></highwater-playground>
//
// Each element shows the embedded page (index.html?embed, beside this script unless `src` says
// otherwise) in an iframe inside its shadow root; several on a page are independent. Attributes:
// tutorial | scenario | run | scenario-json (or a <script type="application/json"> child) — what
// to show, at most one; step (0 = introduction); theme (light | dark | auto); controls (full |
// playback | none); view (picture | diagram | both: the cluster picture, the space-time diagram,
// or both); height (a CSS length, default 560px, or 420px without narration); title;
// loading (lazy | eager, default lazy); src (the playground's address). Changing one re-points
// the frame. Events (bubbling, composed): `highwater-step` (detail: step, time, position, steps)
// and `highwater-invariant-broken` (detail: name, promised, step). Bad attributes are explained
// inside the element. docs/TUTORIALS.md, "Embedding", describes it all.

const HERE = new URL('./', import.meta.url).href;
const ATTRS = ['tutorial', 'scenario', 'run', 'scenario-json', 'step', 'theme', 'controls', 'view', 'height', 'title', 'loading', 'src'];
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const LENGTH = /^\d+(\.\d+)?(px|em|rem|vh|svh|lvh|dvh)?$/;
const CHOICES = { theme: ['light', 'dark', 'auto'], controls: ['full', 'playback', 'none'], view: ['picture', 'diagram', 'both'], loading: ['lazy', 'eager'] };
let made = 0;

const STYLE = `
:host { display: block; width: 100%; }
:host([hidden]) { display: none; }
iframe { display: block; box-sizing: border-box; width: 100%; border: 1px solid var(--highwater-border, #d3d9e2);
  border-radius: var(--highwater-radius, 8px); background: transparent; }
.problem { box-sizing: border-box; border: 1px solid #cf222e; border-left-width: 4px; border-radius: 8px;
  padding: 10px 14px; background: #fff6f6; color: #5c0011; font: 14px/1.5 system-ui, sans-serif; }
.problem strong { display: block; }
.problem ul { margin: 4px 0 0; padding-left: 1.2em; }
.problem code { font: 0.92em ui-monospace, monospace; }
@media (prefers-color-scheme: dark) { .problem { background: #2d1214; color: #ffd8d6; border-color: #f85149; } }
:host([theme="light"]) .problem { background: #fff6f6; color: #5c0011; border-color: #cf222e; }
:host([theme="dark"]) .problem { background: #2d1214; color: #ffd8d6; border-color: #f85149; }
`;

/** What the attributes ask for: `{ url, height, title }`, or `{ problems }` in plain words. */
function plan(el) {
  const attr = (n) => el.getAttribute(n);
  const problems = [];
  const inline = el.querySelector(':scope > script[type="application/json"]');
  const given = ['tutorial', 'scenario', 'run', 'scenario-json'].filter((n) => el.hasAttribute(n));
  if (inline) given.push('an inline <script type="application/json">');
  if (given.length > 1) problems.push(`Give one thing to show, not ${given.join(' and ')}.`);
  for (const n of ['tutorial', 'scenario']) {
    if (el.hasAttribute(n) && !NAME.test(attr(n))) problems.push(`${n}="${short(attr(n))}" is not a ${n} name (letters, digits and dashes, as in 05-acks1-loses-a-record).`);
  }
  for (const [n, list] of Object.entries(CHOICES)) {
    if (el.hasAttribute(n) && !list.includes(attr(n))) problems.push(`${n}="${short(attr(n))}" is not one of ${list.join(', ')}.`);
  }
  const step = attr('step');
  if (step !== null) {
    if (!/^\d{1,6}$/.test(step.trim())) problems.push(`step="${short(step)}" is not a step number (0 for the introduction, then 1, 2, …).`);
    else if (el.hasAttribute('run')) problems.push('step goes with tutorial, scenario or an inline scenario, not with run.');
  }
  const height = attr('height');
  if (height !== null && !LENGTH.test(height.trim())) problems.push(`height="${short(height)}" is not a length (such as 560 or 560px or 40rem).`);
  let json = null;
  const text = el.hasAttribute('scenario-json') ? attr('scenario-json') : inline?.textContent;
  if (text != null) {
    try {
      json = JSON.parse(text);
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        problems.push('The inline scenario must be a JSON object (a scenario file\'s fields: name, config, step, …).');
      }
    } catch (e) {
      problems.push(`The inline scenario is not valid JSON: ${e.message}.`);
    }
  }
  let page;
  try {
    const base = new URL(attr('src') ?? HERE, document.baseURI);
    page = /\.html?$/.test(base.pathname) ? base : new URL('index.html', base.href.endsWith('/') ? base : base.href + '/');
  } catch {
    problems.push(`src="${short(attr('src'))}" is not an address.`);
  }
  if (problems.length) return { problems };

  const n = step === null ? '' : `&step=${Number(step.trim())}`;
  let hash = '';
  if (el.hasAttribute('tutorial')) hash = `tutorial=${attr('tutorial')}${n}`;
  else if (el.hasAttribute('scenario')) hash = `scenario=${attr('scenario')}${n}`;
  else if (json) hash = `scenario-json=${encodeURIComponent(JSON.stringify(json))}${n}`;
  else if (el.hasAttribute('run')) hash = `run=${attr('run').trim().replace(/^#?(run=)?/, '')}`;
  const query = ['embed', `host=${el.hostId}`];
  for (const k of ['theme', 'controls', 'view']) if (el.hasAttribute(k)) query.push(`${k}=${attr(k)}`);
  const url = new URL(page);
  url.search = `?${query.join('&')}`;
  url.hash = hash;
  const controls = attr('controls') ?? 'full';
  const h = height === null ? (controls === 'full' ? '560px' : '420px') : /\d$/.test(height.trim()) ? `${height.trim()}px` : height.trim();
  const what = el.getAttribute('tutorial') ?? el.getAttribute('scenario') ?? (json ? json.name ?? 'a scenario' : 'a run');
  return { url: url.href, height: h, title: attr('title') ?? `Highwater playground: ${what}` };
}

function short(s) {
  const t = String(s);
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

export class HighwaterPlayground extends HTMLElement {
  static get observedAttributes() {
    return ATTRS;
  }

  constructor() {
    super();
    /** This element's id in the messages its frame posts (several elements never mix). */
    this.hostId = `hw-${(++made).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.attachShadow({ mode: 'open' }).innerHTML = `<style>${STYLE}</style><div part="box"></div>`;
    this._box = this.shadowRoot.lastChild;
    this._frame = null;
    this._url = null;
    this._queued = false;
    this._onMessage = (e) => this._receive(e);
    // An inline scenario edited after the element connected re-points it too.
    this._children = new MutationObserver(() => this._schedule());
  }

  connectedCallback() {
    window.addEventListener('message', this._onMessage);
    this._children.observe(this, { childList: true, subtree: true, characterData: true });
    this._schedule();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._onMessage);
    this._children.disconnect();
  }

  attributeChangedCallback() {
    if (this.isConnected) this._schedule();
  }

  /** The frame, if the attributes are good (for scripts and tests). */
  get frame() {
    return this._frame;
  }

  // Several attribute changes in one task re-point the frame once.
  _schedule() {
    if (this._queued) return;
    this._queued = true;
    queueMicrotask(() => {
      this._queued = false;
      if (this.isConnected) this._render();
    });
  }

  _render() {
    const p = plan(this);
    if (p.problems) {
      this._frame = null;
      this._url = null;
      const box = document.createElement('div');
      box.className = 'problem';
      box.setAttribute('role', 'alert');
      const head = document.createElement('strong');
      head.textContent = 'This Highwater playground cannot be shown:';
      const list = document.createElement('ul');
      for (const text of p.problems) {
        const li = document.createElement('li');
        li.textContent = text;
        list.append(li);
      }
      box.append(head, list);
      this._box.replaceChildren(box);
      return;
    }
    if (this._frame) {
      this._frame.style.height = p.height;
      this._frame.title = p.title;
      if (p.url === this._url) return;
    }
    // A new frame rather than a new address: the embed starts afresh, as on first load.
    const f = document.createElement('iframe');
    f.title = p.title;
    f.style.height = p.height;
    f.loading = this.getAttribute('loading') ?? 'lazy';
    f.src = p.url;
    this._frame = f;
    this._url = p.url;
    this._box.replaceChildren(f);
  }

  _receive(e) {
    const d = e.data;
    if (!this._frame || e.source !== this._frame.contentWindow) return;
    if (!d || typeof d !== 'object' || d.id !== this.hostId) return;
    let type, detail;
    if (d.type === 'highwater:step') {
      type = 'highwater-step';
      detail = { step: d.step, time: d.time, position: d.position ?? null, steps: d.steps ?? null };
    } else if (d.type === 'highwater:invariant-broken') {
      type = 'highwater-invariant-broken';
      detail = { name: d.name, promised: d.promised, step: d.step };
    } else {
      return;
    }
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('highwater-playground')) customElements.define('highwater-playground', HighwaterPlayground);
