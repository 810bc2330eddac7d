// The editor as an integrator opens it, in headless Chromium: the palette holds the oilrisk
// nodes under "oil risk", and every oilrisk node of the shipped flows opens its edit dialog
// without a script error.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Flags for a closed network: without them Chromium keeps calling home at every start.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface EditorWindow {
  RED: {
    nodes: {
      filterNodes(filter: object): Array<{ id: string; type: string }>;
      eachConfig(cb: (n: { id: string; type: string }) => void): void;
      node(id: string): unknown;
    };
    editor: { edit(node: unknown): void; editConfig(name: string, type: string, id: string): void };
  };
}

describe('editor in a browser', function () {
  this.timeout(120_000);
  let runtime: RuntimeHandle | undefined;
  let browser: Browser | undefined;

  before(async function () {
    assert.ok(existsSync(CHROMIUM), `Chromium is not installed at ${CHROMIUM}: .ci/run installs it (apt-get install chromium), or set CHROMIUM_PATH`);
    runtime = await startRuntime();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('shows the oilrisk palette and opens every oilrisk node of the shipped flows without a script error', async () => {
    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // The editor catches a throwing edit dialog and only logs it ("oneditprepare <id> <type> <error>").
    page.on('console', (m) => {
      if (m.type() === 'error' || /^(oneditprepare|oneditsave|oneditcancel|oneditresize) /.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(runtime!.url + '/');
    await page.waitForSelector('.red-ui-palette-node[data-palette-type="oilrisk-risk"]', { timeout: 60_000 });

    const palette = await page.$$eval('#red-ui-palette-container-oil_risk .red-ui-palette-node', (els) => els.map((e) => e.getAttribute('data-palette-type')));
    for (const type of ['oilrisk-ingest', 'oilrisk-risk', 'oilrisk-alarms', 'oilrisk-historian', 'oilrisk-grafana-annotate', 'oilrisk-grafana-provision']) {
      assert.ok(palette.includes(type), `${type} is in the "oil risk" palette category (found ${palette.join(', ')})`);
    }
    const telemetryPrompt = await page.$('text=Enable Update Notifications');
    assert.equal(telemetryPrompt, null, 'no telemetry consent prompt');

    const nodes = await page.evaluate(() => (window as unknown as EditorWindow).RED.nodes.filterNodes({}).filter((n) => n.type.startsWith('oilrisk-')).map((n) => ({ id: n.id, type: n.type })));
    const configs = await page.evaluate(() => {
      const out: Array<{ id: string; type: string }> = [];
      (window as unknown as EditorWindow).RED.nodes.eachConfig((n) => { if (n.type.startsWith('oilrisk-')) out.push({ id: n.id, type: n.type }); });
      return out;
    });
    assert.deepEqual(new Set(configs.map((c) => c.type)), new Set(['oilrisk-site', 'oilrisk-questdb', 'oilrisk-grafana']));
    assert.ok(nodes.length >= 6, `the shipped flows hold the oilrisk flow nodes (found ${nodes.map((n) => n.type).join(', ')})`);

    for (const { id, type } of nodes) {
      await page.evaluate((nodeId) => { const RED = (window as unknown as EditorWindow).RED; RED.editor.edit(RED.nodes.node(nodeId)); }, id);
      await page.waitForSelector('#node-dialog-cancel', { state: 'visible' });
      assert.deepEqual(problems, [], `opening ${type}`);
      await page.click('#node-dialog-cancel');
      await page.waitForSelector('#node-dialog-cancel', { state: 'detached' });
    }
    for (const { id, type } of configs) {
      await page.evaluate(({ nodeId, nodeType }) => (window as unknown as EditorWindow).RED.editor.editConfig('', nodeType, nodeId), { nodeId: id, nodeType: type });
      await page.waitForSelector('#node-config-dialog-cancel', { state: 'visible' });
      assert.deepEqual(problems, [], `opening ${type}`);
      await page.click('#node-config-dialog-cancel');
      await page.waitForSelector('#node-config-dialog-cancel', { state: 'detached' });
    }
    assert.deepEqual(problems, []);
  });
});
