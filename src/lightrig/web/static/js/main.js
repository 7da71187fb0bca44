// The studio's entry point: loads the API's conventions (its vocabulary and the diagram's
// scales, which every view draws and names with), then builds the views, connects them to the
// state and the API, and loads what the page starts from (the API's enums, the presets, the
// gallery).

import { byId, text } from './dom.js';
import { ApiClient, describeError } from './api.js';
import { Conventions } from './conventions.js';
import { Store } from './state.js';
import { LiveRequest } from './live.js';
import { Notices } from './notices.js';
import { tabs } from './tabs.js';
import { Diagram } from './diagram.js';
import { Roster } from './roster.js';
import { LightControls } from './light-controls.js';
import { HeightControl, SideView } from './side-view.js';
import { CameraControls, CAMERA_ENUMS } from './camera-controls.js';
import { AnalysisView } from './analysis-view.js';
import { mountMeter } from './meter.js';
import { Preview } from './preview.js';
import { GeneratePanel } from './generate.js';
import { Gallery } from './gallery.js';
import { SetupBar } from './setup-bar.js';
import { ApiKeyControl } from './api-key.js';
import { saveBlob, saveJson } from './downloads.js';
import { SavedSetups } from './saved-setups.js';

const FIRST_PRESET = 'rembrandt';
const FALLBACK_BACKENDS = ['preview', 'bria', 'fal', 'diffusers'];
/** The API's document is asked for after the first preview, or after this long (ms). */
const SCHEMA_AFTER_MS = 3000;

const api = new ApiClient();
const notices = new Notices();

// menus (<details class="menu">) close on a click elsewhere and on Escape, returning focus
document.addEventListener('click', (event) => {
  for (const menu of document.querySelectorAll('details.menu[open]')) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  for (const menu of document.querySelectorAll('details.menu[open]')) {
    menu.open = false;
    menu.querySelector('summary').focus();
  }
});

// --- what the page starts from
function enumOf(schema, name) {
  const node = schema?.components?.schemas?.[name];
  return node && Array.isArray(node.enum) ? node.enum : null;
}

function backendsOf(schema) {
  const prop = schema?.components?.schemas?.GenerationCreate?.properties?.backend;
  const options = prop ? [prop, ...(prop.anyOf || [])] : [];
  const found = options.find((o) => Array.isArray(o.enum));
  return found ? found.enum : null;
}

/** The studio around `conventions`: every view built and wired; returns what starts it. */
function build(conventions) {
  const store = new Store(conventions);
  const saved = Store.saved(conventions);
  if (saved) {
    store.scene = saved.scene;
    store.preset = saved.preset;
  }

  // --- the studio view
  const inspectorTabs = tabs(byId('inspector-tabs'));
  const preview = new Preview(store, api);
  new Diagram(byId('diagram'), store, {
    onInteraction: (on) => preview.setInteracting(on),
    onActivate: (role) => {
      store.select(role);
      inspectorTabs.activate('tab-light');
      byId('light-azimuth').focus();
    },
  });
  new Roster(byId('roster'), store);
  const lightControls = new LightControls(byId('pane-light'), store);
  new HeightControl(lightControls, store);
  new SideView(byId('side-view'), store);
  const camera = new CameraControls(byId('pane-camera'), byId('pane-subject'), store);
  const analysisView = new AnalysisView(byId('analysis'), store);
  mountMeter(store);
  const setupBar = new SetupBar(store, api);

  // the analysis follows the scene like the preview does (debounced, stale requests aborted)
  const analysisFeed = new LiveRequest({
    run: async (signal) => ({ version: store.version, analysis: await api.analyze(store.request(), signal) }),
    delay: 50,
    onBusy: (busy) => byId('analysis').setAttribute('aria-busy', String(busy)),
    onResult: ({ version, analysis }) => store.setAnalysis(analysis, version),
    onError: (error) => analysisView.showError(error),
  });

  const studio = byId('view-studio');
  store.subscribe((change) => {
    if (change.scene) {
      studio.dataset.sceneVersion = String(store.version);
      // a translation arrives with its analysis; everything else asks for a fresh one
      if (change.source !== 'describe') analysisFeed.schedule();
    }
    if (change.scene || change.selection) renderHistory();
    // choosing a light (in the diagram or the row of lights) shows its settings
    if (change.chosen) inspectorTabs.activate('tab-light');
  });

  // --- generating and the gallery
  const views = tabs(byId('view-tabs'), {
    onChange: (tab) => {
      if (tab.id === 'tab-gallery' && !gallery.loaded) gallery.load();
    },
  });
  const gallery = new Gallery(store, api, notices, {
    onRelight: (record) => {
      store.load(record.request, { source: 'relight', select: 'key' });
      store.setRelight(record);
      views.activate('tab-studio');
      notices.info(`Loaded the setup of ${record.generation_id.slice(0, 8)}: change the light, then Re-light.`);
      byId('gen-button').scrollIntoView({ block: 'nearest' });
    },
    onCount: (count, more) => text(byId('gallery-count'), more ? `${count}+` : String(count)),
  });
  gallery.onReveal = () => views.activate('tab-gallery');
  const generate = new GeneratePanel(store, api, notices, gallery);
  const savedSetups = new SavedSetups(store, api, notices);

  // --- header: undo / redo, export, API key
  const undo = byId('undo');
  const redo = byId('redo');
  function renderHistory() {
    undo.disabled = !store.canUndo();
    redo.disabled = !store.canRedo();
  }
  undo.addEventListener('click', () => store.undo());
  redo.addEventListener('click', () => store.redo());

  async function exporting(what, work) {
    byId('export-menu').open = false;
    try {
      await work();
    } catch (error) {
      notices.error(`Export ${what}`, error);
    }
  }
  byId('export-prompt').addEventListener('click', () => exporting('prompt', async () => {
    saveJson(await api.prompt(store.request()), 'lightrig-prompt.json');
  }));
  byId('export-diagram').addEventListener('click', () => exporting('diagram', async () => {
    saveBlob(await api.diagram(store.request()), 'lightrig-diagram.svg');
  }));
  byId('export-setup').addEventListener('click', () => exporting('setup', async () => {
    saveJson(store.request(), 'lightrig-setup.json');
  }));
  // the plot opens in the browser's PDF viewer, which prints it; saved instead when the
  // browser blocks the new tab
  const printButton = byId('print-plot');
  printButton.addEventListener('click', async () => {
    printButton.disabled = true;
    try {
      const pdf = await api.plot(store.request());
      const url = URL.createObjectURL(pdf);
      if (!window.open(url, '_blank')) saveBlob(pdf, 'lighting-plot.pdf');
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      notices.error('Print the lighting plot', error);
    } finally {
      printButton.disabled = false;
    }
  });

  let keyNotice = null;
  api.onUnauthorized = () => {
    if (keyNotice && keyNotice.isConnected) return;
    keyNotice = notices.show('error', 'This server needs an API key: requests are refused without one.', {
      action: { label: 'Set API key', run: () => keyControl.open() },
    });
  };
  const keyControl = new ApiKeyControl(api, {
    onChange: () => {
      if (keyNotice) keyNotice.remove();
      loadServerData();
      preview.live.now();
      analysisFeed.now();
      gallery.load({ reset: true });
    },
  });

  // --- keyboard shortcuts: undo/redo (outside text fields), Ctrl+Enter generates
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (!mod) return;
    const typing = event.target.closest('input[type="text"], input[type="number"], input[type="password"], textarea');
    if (event.key === 'Enter') {
      event.preventDefault();
      generate.generate();
    } else if (!typing && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      if (event.shiftKey) store.redo(); else store.undo();
    } else if (!typing && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      store.redo();
    }
  });

  /** The API's document: the camera's choices and the backends (the page's own lists until
   * it comes, or if it does not). */
  async function loadSchema(fetched = settled(api.openapi())) {
    const schema = await fetched;
    if (schema.error === undefined) {
      camera.setEnums({
        shot_type: enumOf(schema.value, 'ShotType') || CAMERA_ENUMS.shot_type,
        camera_angle: enumOf(schema.value, 'CameraAngle') || CAMERA_ENUMS.camera_angle,
      });
      generate.setBackends(backendsOf(schema.value) || FALLBACK_BACKENDS);
    } else {
      generate.setBackends(FALLBACK_BACKENDS); // the API's document is optional: use what we know
    }
  }

  async function loadPresets(fetched = settled(api.presets())) {
    try {
      const answer = await fetched;
      if (answer.error !== undefined) throw answer.error;
      const presets = answer.value;
      setupBar.setPresets(presets);
      if (!saved && !store.preset && !store.canUndo()) {
        const first = presets.find((p) => p.name === FIRST_PRESET) || presets[0];
        if (first) setupBar.choose(first.name);
        store.past = [];
        renderHistory();
      }
    } catch (error) {
      if (error.status !== 401) notices.error('Loading the presets', error);
    }
  }

  function loadServerData() {
    return Promise.all([loadSchema(), loadPresets()]);
  }

  return async function begin(presets) {
    generate.setBackends(FALLBACK_BACKENDS);
    studio.dataset.sceneVersion = String(store.version);
    renderHistory();
    await loadPresets(presets);
    await savedSetups.openShared(); // a share link (/?share=TOKEN): its setup, no key needed
    preview.live.now();
    analysisFeed.now();
    // the API's document is built on its first request (about a second of a fresh server's
    // time), so it is asked for once the first picture is on its way back
    await Promise.race([preview.answered, new Promise((done) => setTimeout(done, SCHEMA_AFTER_MS))]);
    await loadSchema();
    gallery.load();
    document.body.dataset.ready = 'true';
  };
}

/** `promise` as a promise that settles to `{ value }` or `{ error }`. */
function settled(promise) {
  return promise.then((value) => ({ value }), (error) => ({ error }));
}

async function start() {
  // the presets and the conventions are asked for at once, not one answer after another
  const presets = settled(api.presets());
  const conventions = new Conventions(await api.conventions());
  document.body.dataset.conventions = conventions.version;
  await build(conventions)(presets);
}

start().catch((error) => notices.show('error', `The studio could not start: ${describeError(error)}`));
